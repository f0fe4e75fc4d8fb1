// 导入花名册: staff upload a roster, see every row's problems before anything is
// written, fix the file and upload it again, then import it all at once.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { ROSTER_LIMITS } from "~/utils/roster-schemas";
import { importRoster, previewRoster } from "~/models/roster-import.server";
import { communityPage, formOf, problemsFrom, type Problems } from "~/utils/forms.server";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "roster.title");

/** The page lists this many problems; the API gives them all. */
const SHOWN_PROBLEMS = 500;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community } = await communityPage(request, params.slug ?? "", "member:import");
  return { community };
}

type Preview = Awaited<ReturnType<typeof previewRoster>>;
type Done = Omit<Awaited<ReturnType<typeof importRoster>>, "newUserIds">;
type ActionData = { problems: Problems; preview: Preview | null; done: Done | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "member:import");
  const form = await formOf(request, { files: { maxFiles: 1, maxFileBytes: ROSTER_LIMITS.maxBytes } });
  const answer = (data: Partial<ActionData>): ActionData => ({ problems: {}, preview: null, done: null, ...data });
  try {
    if (form.get("intent") === "import") {
      const uploadId = idSchema.safeParse(form.get("uploadId"));
      if (!uploadId.success) return answer({ problems: { _form: { key: "errors.rosterFileRequired" } } });
      const { newUserIds: _, ...done } = await importRoster(actor, community.id, { uploadId: uploadId.data });
      return answer({ done });
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return answer({ problems: { file: { key: "errors.rosterFileRequired" } } });
    const preview = await previewRoster(actor, community.id, { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return answer({ preview });
  } catch (error) {
    return answer({ problems: problemsFrom(error) });
  }
}

export default function RosterImportPage() {
  const { community } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const preview = data?.preview;
  return (
    <div className="card stack">
      <h1>{t("roster.title")}</h1>
      <p className="muted">
        {community.name} · <a href={`/c/${community.slug}/members`}>{t("members.title")}</a> ·{" "}
        <a href={`/c/${community.slug}/members/activation`}>{t("roster.activation.link")}</a>
      </p>
      <p>{t("roster.intro")}</p>
      <details>
        <summary>{t("roster.columns")}</summary>
        <p className="muted">{t("roster.policy")}</p>
      </details>
      <Outcome problems={data?.problems} />
      {data?.done ? (
        <div className="notice ok stack" role="status" data-testid="roster-done">
          <p>{t("roster.done", data.done)}</p>
          {data.done.newPeople > 0 ? <a href={`/c/${community.slug}/members/activation`}>{t("roster.activationNext")}</a> : null}
        </div>
      ) : null}
      {preview ? <PreviewReport preview={preview} busy={busy} /> : null}
      <Form method="post" encType="multipart/form-data" className="stack" noValidate>
        <div>
          <label htmlFor="field-file">{t("roster.file")}</label>
          <input
            id="field-file"
            name="file"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
          />
        </div>
        <button className="btn block" type="submit" name="intent" value="preview" disabled={busy}>
          {t("roster.preview")}
        </button>
      </Form>
    </div>
  );
}

function PreviewReport({ preview, busy }: { preview: Preview; busy: boolean }) {
  const { t } = useTranslation();
  if (preview.file)
    return (
      <p className="error" role="alert" data-testid="roster-file-problem">
        {t(preview.file.key, preview.file.values)}
      </p>
    );
  const s = preview.summary;
  return (
    <section className="stack" aria-live="polite">
      <p data-testid="roster-summary">{t("roster.summary", s)}</p>
      {preview.problems.length > 0 ? (
        <>
          <h2 className="error" data-testid="roster-errors">
            {t("roster.errorsTitle", { rows: s.errorRows, errors: s.errors })}
          </h2>
          <ul className="list" data-testid="roster-problems">
            {preview.problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <li key={i} data-testid="roster-problem" data-row={p.row}>
                <strong>{t("roster.row", { row: p.row })}</strong> · {t(`roster.fields.${p.field}`)}：{t(p.key, p.values)}
              </li>
            ))}
          </ul>
          {preview.problems.length > SHOWN_PROBLEMS ? <p className="muted">…</p> : null}
        </>
      ) : (
        <p className="notice ok">{t("roster.noErrors")}</p>
      )}
      {preview.importable && preview.uploadId ? (
        <Form method="post">
          <input type="hidden" name="uploadId" value={preview.uploadId} />
          <button className="btn block" type="submit" name="intent" value="import" disabled={busy}>
            {t("roster.import", { count: s.newPeople + s.existing })}
          </button>
        </Form>
      ) : null}
      {preview.rows.length > 0 ? (
        <details>
          <summary>{t("roster.firstRows", { count: Math.min(preview.rows.length, 20) })}</summary>
          <ul className="list">
            {preview.rows.slice(0, 20).map((r) => (
              <li key={r.row}>
                {t("roster.row", { row: r.row })} · {r.name} · {r.phone} · {t(`roles.${r.role}`)} · {t(`roster.outcomes.${r.outcome}`)}
                {r.newHousehold ? ` · ${t("roster.newHousehold", { name: r.newHousehold })}` : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
