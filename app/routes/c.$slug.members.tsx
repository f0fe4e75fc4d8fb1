// 社区成员: community staff grant and revoke roles and deactivate or reactivate members.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { grantRole, listMembers, revokeRole, setMemberActive } from "~/models/member.server";
import { ROLES, roleSchema } from "~/utils/domain";
import { communityPage, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { idSchema } from "~/utils/schemas";
import { homePlaces, placeOptions, setHomePlace } from "~/models/places.server";
import { issuePasswordReset, type IssuedReset } from "~/models/password-reset.server";
import { can } from "~/utils/permissions.server";
import { pageMeta } from "~/utils/page-meta";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = (args) => pageMeta(args, "members.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "member:manage");
  const [members, places, homes] = await Promise.all([
    listMembers(actor, community.id),
    placeOptions(community.id, { households: true }),
    homePlaces(community.id),
  ]);
  return { community, ...members, places, homes, mayReset: can(actor, "member:resetPassword", { type: "community", communityId: community.id }) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "member:manage");
  const form = await formOf(request);
  const userId = idSchema.safeParse(form.get("userId"));
  if (!userId.success) return { problems: zodProblems(userId.error), done: null };
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "reset") {
      const reset: IssuedReset = await issuePasswordReset(actor, community.id, userId.data, new URL(request.url).origin);
      return { problems: {} as Problems, done: null, reset };
    }
    if (intent === "home") {
      const placeId = form.get("placeId") ? idSchema.safeParse(form.get("placeId")) : ({ success: true, data: null } as const);
      if (!placeId.success) return { problems: zodProblems(placeId.error), done: null };
      await setHomePlace(actor, community.id, userId.data, placeId.data);
      return { problems: {} as Problems, done: "home" as const };
    }
    if (intent === "deactivate" || intent === "reactivate") {
      await setMemberActive(actor, community.id, userId.data, intent === "reactivate");
      return { problems: {} as Problems, done: intent };
    }
    const role = roleSchema.safeParse(form.get("role"));
    if (!role.success) return { problems: zodProblems(role.error), done: null };
    if (intent === "revoke") await revokeRole(actor, community.id, userId.data, role.data);
    else await grantRole(actor, community.id, userId.data, role.data);
    return { problems: {} as Problems, done: intent === "revoke" ? ("revoke" as const) : ("grant" as const) };
  } catch (error) {
    return { problems: problemsFrom(error), done: null };
  }
}

export default function MembersPage() {
  const { community, members, places, homes, mayReset } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const reset = data && "reset" in data ? data.reset : null;
  return (
    <div className="card stack">
      <h1>{t("members.title")}</h1>
      <p className="muted">
        {community.name} · <a href={`/c/${community.slug}/audit`}>{t("audit.link")}</a> · <a href={`/c/${community.slug}/members/import`}>{t("roster.link")}</a>{" "}
        · <a href={`/c/${community.slug}/members/activation`}>{t("roster.activation.link")}</a>
      </p>
      <Outcome done={data?.done === "home" ? "places.done.home" : data?.done ? `members.done.${data.done}` : null} problems={data?.problems} />
      <details data-testid="home-form">
        <summary>{t("places.home")}</summary>
        <Form method="post" className="stack">
          <div>
            <label htmlFor="home-member">{t("council.member")}</label>
            <select id="home-member" name="userId" required defaultValue="">
              <option value="" disabled>
                {t("places.choose")}
              </option>
              {members
                .filter((m) => m.active)
                .map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.displayName}
                  </option>
                ))}
            </select>
          </div>
          <div>
            <label htmlFor="home-place">{t("places.home")}</label>
            <select id="home-place" name="placeId" defaultValue="">
              <option value="">{t("places.noHome")}</option>
              {places.map((p) => (
                <option key={p.id} value={p.id}>
                  {t(`places.kinds.${p.kind}`)} · {p.label}
                </option>
              ))}
            </select>
          </div>
          <button className="btn block" type="submit" name="intent" value="home" disabled={busy}>
            {t("places.setHome")}
          </button>
        </Form>
      </details>
      <ul className="list" data-testid="members">
        {members.map((m) => (
          <li key={m.userId} className="stack" data-testid="member" data-active={m.active}>
            <strong>
              {m.displayName}
              {m.active ? null : <span className="pill warn"> {t("members.deactivated")}</span>}
            </strong>
            {homes[m.userId] ? (
              <span className="muted" data-testid="member-home">
                {t("places.home")}: {homes[m.userId]}
              </span>
            ) : null}
            <div style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem" }}>
              {m.roles.map((r) => (
                <Form method="post" key={r}>
                  <input type="hidden" name="userId" value={m.userId} />
                  <input type="hidden" name="role" value={r} />
                  <button
                    className="btn secondary"
                    type="submit"
                    name="intent"
                    value="revoke"
                    disabled={busy}
                    aria-label={t("members.revokeLabel", { role: t(`roles.${r}`), name: m.displayName })}
                  >
                    {t(`roles.${r}`)} ✕
                  </button>
                </Form>
              ))}
            </div>
            {m.active ? (
              <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" }}>
                <input type="hidden" name="userId" value={m.userId} />
                <div>
                  <label htmlFor={`grant-${m.userId}`}>{t("members.grant")}</label>
                  <select id={`grant-${m.userId}`} name="role" defaultValue={ROLES.find((r) => !m.roles.includes(r))}>
                    {ROLES.filter((r) => !m.roles.includes(r)).map((r) => (
                      <option key={r} value={r}>
                        {t(`roles.${r}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <button className="btn" type="submit" name="intent" value="grant" disabled={busy} aria-label={t("members.grantLabel", { name: m.displayName })}>
                  {t("members.grantSubmit")}
                </button>
              </Form>
            ) : null}
            {m.active && mayReset ? (
              <Form method="post">
                <input type="hidden" name="userId" value={m.userId} />
                <button className="btn secondary" type="submit" name="intent" value="reset" disabled={busy} data-testid="reset-password">
                  {t("uxrest.reset.issue", { name: m.displayName })}
                </button>
              </Form>
            ) : null}
            {reset?.userId === m.userId ? <IssuedResetLink reset={reset} name={m.displayName} /> : null}
            <Form method="post">
              <input type="hidden" name="userId" value={m.userId} />
              <button className="btn secondary" type="submit" name="intent" value={m.active ? "deactivate" : "reactivate"} disabled={busy}>
                {m.active ? t("members.deactivate", { name: m.displayName }) : t("members.reactivate", { name: m.displayName })}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The one-time reset link just issued, as text to copy and as a QR code to scan from this screen. */
function IssuedResetLink({ reset, name }: { reset: IssuedReset; name: string }) {
  const { t, i18n } = useTranslation();
  const id = `reset-url-${reset.userId}`;
  return (
    <div className="notice ok stack" role="status" data-testid="reset-link">
      <p>{t("uxrest.reset.issued", { name })}</p>
      <label htmlFor={id}>{t("uxrest.reset.link")}</label>
      <input id={id} readOnly value={reset.url} data-testid="reset-url" onFocus={(e) => e.currentTarget.select()} />
      <figure className="stack" style={{ margin: 0 }}>
        {/* The SVG is the qrcode package's own output for our URL: no user text in it. */}
        <div role="img" aria-label={t("uxrest.reset.qr")} data-testid="reset-qr" style={{ maxWidth: 220 }} dangerouslySetInnerHTML={{ __html: reset.qr }} />
        <figcaption className="muted">
          {t("uxrest.reset.qrHint")} {t("uxrest.reset.expires", { time: formatDateTime(reset.expiresAt, i18n.language) })}
        </figcaption>
      </figure>
    </div>
  );
}
