// 操作记录: the community's audit log for its staff, newest first; read-only by design.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { auditLog } from "~/models/audit.server";
import { formatDateTime } from "~/utils/format";
import { communityPage } from "~/utils/forms.server";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "audit.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "audit:view");
  const before = idSchema.safeParse(new URL(request.url).searchParams.get("before"));
  return { community, ...(await auditLog(actor, community.id, { before: before.success ? before.data : undefined })) };
}

/** Before and after, compactly: the JSON the log keeps, for staff to read. */
const show = (value: unknown) => (value === null ? "—" : JSON.stringify(value));

export default function AuditPage() {
  const { community, entries, next } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  // A setting is logged by its code (ASCII), a person, place or organisation by its own name.
  const subjectName = (name: string) => (/^[A-Za-z.]+$/.test(name) ? t(`audit.subjects.${name}`, { defaultValue: name }) : name);
  return (
    <div className="card stack">
      <h1>{t("audit.title")}</h1>
      <p className="muted">{community.name}</p>
      {entries.length === 0 ? <p className="muted">{t("audit.empty")}</p> : null}
      <ol className="list" data-testid="audit">
        {entries.map((e) => (
          <li key={e.id} data-action={e.action}>
            <strong>{t(`audit.actions.${e.action}`)}</strong>
            {e.subject ? ` · ${subjectName(e.subject.name)}` : null}
            <br />
            <span className="muted">{t("audit.by", { name: e.actor.name, at: formatDateTime(e.at, i18n.language) })}</span>
            <dl className="meta" style={{ overflowWrap: "anywhere" }}>
              <dt>{t("audit.before")}</dt>
              <dd>{show(e.before)}</dd>
              <dt>{t("audit.after")}</dt>
              <dd>{show(e.after)}</dd>
            </dl>
          </li>
        ))}
      </ol>
      {next ? (
        <a className="btn secondary" href={`?before=${encodeURIComponent(next)}`}>
          {t("audit.more")}
        </a>
      ) : null}
    </div>
  );
}
