import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Suspense, lazy, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { renderedCopyOf } from "~/models/agenda-item.server";
import { colorFor } from "~/utils/color";
import { prisma } from "~/utils/db.server";
import { agendaItemDocumentName } from "~/utils/domain";
import { useLiveEvents } from "~/utils/live-events";
import { orHttpError } from "~/utils/http.server";
import { NotFound, can, loadAgendaItemResource, requireActor, requirePermission } from "~/utils/permissions.server";

export const meta: MetaFunction = (args) => pageMeta(args, (t, d) => (d as { item?: { title?: string } } | undefined)?.item?.title);

// The editor (Tiptap, Yjs, the provider) is fetched only when an item is opened, after the page is up.
const CollaborativeEditor = lazy(() => import("~/components/collaborative-editor"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const resource = await loadAgendaItemResource(params.itemId ?? "");
    if (!resource || resource.sessionId !== params.sessionId) throw new NotFound("agenda item");
    requirePermission(actor, "agendaItem:view", resource);
    const item = await prisma.agendaItem.findUniqueOrThrow({
      where: { id: resource.itemId },
      select: { id: true, title: true, position: true, session: { select: { id: true, title: true, status: true } } },
    });
    const copy = await renderedCopyOf(item.id);
    return {
      item: { ...item, contentHtml: copy?.html ?? "", tooLong: copy?.tooLong ?? false },
      docName: agendaItemDocumentName(item.id),
      canEdit: can(actor, "agendaItem:edit", resource),
      me: { name: actor.displayName, color: colorFor(actor.userId) },
    };
  });
}

/** Why the text can't be edited: a seated member of an adjourned session is no observer. */
function readOnlyReason(status: string): string {
  if (status === "adjourned" || status === "cancelled") return "ux.readOnlyAdjourned";
  return "editor.readOnly";
}

export default function AgendaItemPage() {
  const { item, docName, canEdit, me } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  // An adjournment the chair takes back (session:resume) gives the right to edit back; the editor
  // that was told "read-only" starts afresh, as on arrival, with the server deciding again.
  useLiveEvents(
    {
      "session:state": (s: { sessionId: string; status: string }) => {
        if (s.sessionId === item.session.id && item.session.status === "adjourned" && s.status === "open") window.location.reload();
      },
    },
    item.session.status === "adjourned" ? { event: "session:join", leave: "session:leave", payload: { sessionId: item.session.id } } : null,
  );
  const fallback = <div className="editor" data-testid="rendered-copy" dangerouslySetInnerHTML={{ __html: item.contentHtml }} />;
  return (
    <div>
      <a href={`/sessions/${item.session.id}`}>← {t("session.back")}</a>
      <p className="muted">
        {item.session.title} · {t("session.item", { n: item.position })}
      </p>
      <h1>{item.title}</h1>
      {canEdit ? null : <p className="notice">{t(readOnlyReason(item.session.status))}</p>}
      {item.tooLong ? <p className="notice">{t("editor.tooLongToShow")}</p> : null}
      {mounted ? (
        <Suspense fallback={fallback}>
          <CollaborativeEditor docName={docName} editable={canEdit} me={me} />
        </Suspense>
      ) : (
        fallback
      )}
    </div>
  );
}
