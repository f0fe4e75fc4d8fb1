// 商家收银: a partner merchant's staff scan a resident's redemption QR (the camera where the
// browser has BarcodeDetector, else the code typed) and take an offer's points. A scan made while
// the phone is offline is queued in localStorage and settled once back online; the server settles
// a code once, so a queue sent twice takes the points once (app/utils/redemption-queue.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { createOffer, listMerchants, setOfferActive } from "~/models/volunteer.server";
import { normalizeCode } from "~/models/volunteer-rules";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { enqueue, flushQueue, loadQueue, type QueuedRedemption, type SendResult } from "~/utils/redemption-queue";
import { idSchema } from "~/utils/schemas";
import { offerCreateSchema } from "~/utils/volunteer-schemas";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const shops = (await listMerchants(actor, community.id)).filter((m) => m.mine);
  if (shops.length === 0) throw new Response("Forbidden", { status: 403 });
  return { community, shops };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const fields = fieldsOf(await formOf(request));
  const fail = (problems: Problems) => ({ problems, done: null as string | null });
  try {
    const org = idSchema.safeParse(fields.organizationId);
    if (!org.success) return fail(zodProblems(org.error));
    if (fields.intent === "offer") {
      const input = offerCreateSchema.safeParse({ title: fields.title, points: fields.points });
      if (!input.success) return fail(zodProblems(input.error));
      await createOffer(actor, community.id, org.data, input.data);
      return { problems: {} as Problems, done: "volunteer.done.offer" };
    }
    if (fields.intent === "toggle") {
      const offer = idSchema.safeParse(fields.offerId);
      if (!offer.success) return fail(zodProblems(offer.error));
      await setOfferActive(actor, community.id, org.data, offer.data, fields.active === "true");
      return { problems: {} as Problems, done: "volunteer.done.offerChanged" };
    }
    return fail({ _form: { key: "errors.invalidInput" } });
  } catch (error) {
    return fail(problemsFrom(error));
  }
}

type Answer = { code: string; ok: boolean; text: string };
type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };

export default function MerchantPage() {
  const { community, shops } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const [shopId, setShopId] = useState(shops[0]!.id);
  const shop = shops.find((s) => s.id === shopId) ?? shops[0]!;
  const active = shop.offers.filter((o) => o.active);
  const [offerId, setOfferId] = useState(active[0]?.id ?? "");
  const [typed, setTyped] = useState("");
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [queued, setQueued] = useState(0);
  const [scanning, setScanning] = useState(false);
  const [canScan, setCanScan] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  const send = useCallback(
    async (item: QueuedRedemption): Promise<SendResult> => {
      try {
        const res = await fetch(`/api/v1/communities/${community.slug}/volunteer/merchants/${item.organizationId}/redemptions`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ offerId: item.offerId, code: item.code, scannedAt: item.scannedAt }),
        });
        // A server that cannot answer now (busy, restarting) is treated like no network: the scan stays queued.
        if (res.status >= 500) return { kind: "offline" };
        return { kind: res.ok ? "settled" : "refused", body: await res.json() };
      } catch {
        return { kind: "offline" };
      }
    },
    [community.slug],
  );

  const show = useCallback(
    (item: QueuedRedemption, result: SendResult) => {
      if (result.kind === "offline") return;
      const body = result.body as { points?: number; offer?: string; resident?: string; message?: string; repeated?: boolean };
      const text =
        result.kind === "settled"
          ? t(body.repeated ? "volunteer.merchant.repeated" : "volunteer.merchant.settled", { points: body.points, offer: body.offer, resident: body.resident })
          : (body.message ?? t("errors.invalidRequest"));
      setAnswers((prev) => [{ code: item.code, ok: result.kind === "settled", text }, ...prev].slice(0, 10));
    },
    [t],
  );

  const flush = useCallback(async () => {
    await flushQueue(window.localStorage, send, show);
    setQueued(loadQueue(window.localStorage).length);
  }, [send, show]);

  useEffect(() => {
    setCanScan("BarcodeDetector" in window);
    setQueued(loadQueue(window.localStorage).length);
    void flush();
    window.addEventListener("online", flush);
    return () => window.removeEventListener("online", flush);
  }, [flush]);

  const settle = useCallback(
    async (raw: string) => {
      const code = normalizeCode(raw).replace(/^YISHIPOINTS:/, "");
      if (!/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/.test(code)) {
        setAnswers((prev) => [{ code, ok: false, text: t("errors.redemptionCodeInvalid") }, ...prev]);
        return;
      }
      if (!offerId) return;
      const item = { code, offerId, organizationId: shop.id, scannedAt: new Date().toISOString() };
      // Queued first, sent second: a phone that drops the network mid-request still has the scan.
      enqueue(window.localStorage, item);
      setQueued(loadQueue(window.localStorage).length);
      if (!navigator.onLine) {
        setAnswers((prev) => [{ code, ok: true, text: t("volunteer.merchant.queued") }, ...prev]);
        return;
      }
      await flush();
      if (loadQueue(window.localStorage).some((q) => q.code === code))
        setAnswers((prev) => [{ code, ok: true, text: t("volunteer.merchant.queued") }, ...prev]);
      setTyped("");
    },
    [flush, offerId, shop.id, t],
  );

  async function scan() {
    if (!("BarcodeDetector" in window) || !video.current) return;
    setScanning(true);
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).catch(() => null);
    if (!stream) return setScanning(false);
    video.current.srcObject = stream;
    await video.current.play();
    const detector = new (window as unknown as { BarcodeDetector: new (o: object) => Detector }).BarcodeDetector({ formats: ["qr_code"] });
    const deadline = Date.now() + 30_000;
    try {
      while (Date.now() < deadline) {
        const found = await detector.detect(video.current).catch(() => []);
        if (found[0]) {
          await settle(found[0].rawValue);
          break;
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      stream.getTracks().forEach((tr) => tr.stop());
      setScanning(false);
    }
  }

  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  return (
    <div className="card stack">
      <p>
        <a href={`/c/${community.slug}/volunteer`}>← {t("volunteer.title")}</a>
      </p>
      <h1>{t("volunteer.merchant.title")}</h1>
      {shops.length > 1 ? (
        <select aria-label={t("volunteer.merchant.shop")} value={shopId} onChange={(e) => setShopId(e.target.value)}>
          {shops.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      ) : (
        <p className="muted">{shop.name}</p>
      )}
      <section className="stack" aria-labelledby="take">
        <h2 id="take">{t("volunteer.merchant.take")}</h2>
        <label htmlFor="m-offer">{t("volunteer.merchant.offer")}</label>
        <select id="m-offer" value={offerId} onChange={(e) => setOfferId(e.target.value)}>
          {active.map((o) => (
            <option key={o.id} value={o.id}>
              {t("volunteer.offerLine", { title: o.title, points: o.points })}
            </option>
          ))}
        </select>
        {canScan ? (
          <>
            <button className="btn block big" type="button" onClick={() => void scan()} disabled={scanning || !offerId}>
              {scanning ? t("volunteer.merchant.scanning") : t("volunteer.merchant.scan")}
            </button>
            <video ref={video} playsInline muted style={{ width: "100%", display: scanning ? "block" : "none" }} />
          </>
        ) : null}
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void settle(typed);
          }}
        >
          <label htmlFor="m-code">{t("volunteer.merchant.typeCode")}</label>
          <input
            id="m-code"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoCapitalize="characters"
            autoComplete="off"
            inputMode="text"
            maxLength={40}
            style={{ fontSize: "1.6rem", letterSpacing: "0.15em" }}
            data-testid="code-input"
          />
          <button className="btn block big" type="submit" disabled={!offerId || !typed.trim()} data-testid="take-points">
            {t("volunteer.merchant.takeButton")}
          </button>
        </form>
        {queued ? (
          <p className="notice" role="status" data-testid="queued">
            {t("volunteer.merchant.queuedCount", { count: queued })}
          </p>
        ) : null}
        <ul className="list" aria-live="polite" data-testid="answers">
          {answers.map((a, i) => (
            <li key={`${a.code}-${i}`} className={a.ok ? "notice ok" : "error"}>
              {a.code}: {a.text}
            </li>
          ))}
        </ul>
      </section>
      <section className="stack" aria-labelledby="offers">
        <h2 id="offers">{t("volunteer.merchant.offers")}</h2>
        <Outcome done={data?.done} problems={data?.problems} />
        <ul className="list">
          {shop.offers.map((o) => (
            <li key={o.id} style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "center" }}>
              <span style={{ flex: "1 1 10rem" }}>
                {t("volunteer.offerLine", { title: o.title, points: o.points })} {o.active ? null : <span className="pill">{t("volunteer.merchant.off")}</span>}
              </span>
              <Form method="post">
                <input type="hidden" name="intent" value="toggle" />
                <input type="hidden" name="organizationId" value={shop.id} />
                <input type="hidden" name="offerId" value={o.id} />
                <input type="hidden" name="active" value={o.active ? "false" : "true"} />
                <button className="btn secondary" disabled={busy}>
                  {o.active ? t("volunteer.merchant.turnOff") : t("volunteer.merchant.turnOn")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <details>
          <summary>{t("volunteer.merchant.addOffer")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="offer" />
            <input type="hidden" name="organizationId" value={shop.id} />
            <label htmlFor="o-title">{t("volunteer.merchant.offerTitle")}</label>
            <input id="o-title" name="title" required minLength={2} maxLength={60} />
            <label htmlFor="o-points">{t("volunteer.points")}</label>
            <input id="o-points" name="points" type="number" min={1} max={100000} required />
            <button className="btn block" disabled={busy}>
              {t("volunteer.merchant.addOffer")}
            </button>
          </Form>
        </details>
        <a className="btn secondary block" href={`/c/${community.slug}/volunteer/statement?m=${shop.id}&month=${month}`}>
          {t("volunteer.merchant.statement")}
        </a>
      </section>
    </div>
  );
}
