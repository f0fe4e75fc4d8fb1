// The live agenda-item editor: Tiptap bound to the item's Y.Doc through the
// stock y-websocket provider, with carets and a list of who is here. Browser only.
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { Editor, Extensions } from "@tiptap/core";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CARET_COLORS, PRESENCE_FALLBACK_COLOR } from "~/utils/color";
import { websocketOrigin } from "~/utils/live";

type Person = { clientId: number; id?: string; name: string; color: string };
type Status = "connecting" | "connected" | "disconnected";
/** Why the server took editing away (docs/realtime.md, "When rights change"; docs/security.md, limits); null while allowed. */
type Revoked = null | "nowReadOnly" | "signedOut" | "forbidden" | "gone" | "documentFull" | "editTooLarge";
/**
 * The server's close codes (CLOSE in server/yjs/limits.ts) after which reconnecting cannot
 * help: the stock provider would retry forever; the page stops and says why instead.
 */
const FINAL_CLOSES: Record<number, Exclude<Revoked, null | "nowReadOnly">> = {
  4401: "signedOut",
  4403: "forbidden",
  4404: "gone",
  4413: "documentFull",
  1009: "editTooLarge",
};
/** y-websocket's message type for y-protocols auth (permission denied). */
const MESSAGE_AUTH = 2;

type Me = { name: string; color: string };
/** What another document kind adds (the minutes: their fact node, their label, a handle on the editor for quoting). */
type Extra = { extensions?: Extensions; label?: string; testId?: string; onEditor?: (editor: Editor | null) => void };

export default function CollaborativeEditor({ docName, editable, me, ...extra }: { docName: string; editable: boolean; me: Me } & Extra) {
  const [binding, setBinding] = useState<{ doc: Y.Doc; provider: WebsocketProvider } | null>(null);
  useEffect(() => {
    const doc = new Y.Doc();
    // disableBc: every edit goes through the server, which checks and stores it before relaying.
    const provider = new WebsocketProvider(`${websocketOrigin()}/yjs`, docName, doc, { disableBc: true });
    setBinding({ doc, provider });
    return () => {
      provider.destroy();
      doc.destroy();
    };
  }, [docName]);
  if (!binding) return null;
  return <BoundEditor key={docName} doc={binding.doc} provider={binding.provider} editable={editable} me={me} {...extra} />;
}

function BoundEditor({
  doc,
  provider,
  editable,
  me,
  extensions = [],
  label,
  testId = "agenda-editor",
  onEditor,
}: { doc: Y.Doc; provider: WebsocketProvider; editable: boolean; me: Me } & Extra) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>("connecting");
  const [people, setPeople] = useState<Person[]>([]);
  const [synced, setSynced] = useState(false);
  const [revoked, setRevoked] = useState<Revoked>(null);

  useEffect(() => {
    // The stock provider only logs "permission denied": here it turns the editor read-only.
    provider.messageHandlers[MESSAGE_AUTH] = () => setRevoked((r) => r ?? "nowReadOnly");
    const onClose = (event: CloseEvent | null) => {
      const reason = event ? FINAL_CLOSES[event.code] : undefined;
      if (!reason) return;
      // Reconnecting would only be refused again.
      provider.shouldConnect = false;
      setRevoked(reason);
    };
    provider.on("connection-close", onClose);
    return () => provider.off("connection-close", onClose);
  }, [provider]);

  useEffect(() => {
    const onStatus = ({ status }: { status: Status }) => setStatus(status);
    const onSync = (isSynced: boolean) => setSynced(isSynced);
    const onAwareness = () => {
      const list: Person[] = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        const user = state.user as { id?: string; name?: string; color?: string } | undefined;
        if (user?.name)
          list.push({ clientId, id: user.id, name: user.name, color: user.color && CARET_COLORS.includes(user.color) ? user.color : PRESENCE_FALLBACK_COLOR });
      });
      setPeople(list);
    };
    provider.on("status", onStatus);
    provider.on("sync", onSync);
    provider.awareness.on("change", onAwareness);
    if (provider.wsconnected) setStatus("connected");
    setSynced(provider.synced);
    onAwareness();
    return () => {
      provider.off("status", onStatus);
      provider.off("sync", onSync);
      provider.awareness.off("change", onAwareness);
    };
  }, [provider]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: editable && !revoked,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: doc }),
        // The server stamps every presence with the signed-in person's name and colour anyway;
        // setting the same here keeps this client's own entry consistent with what others see.
        CollaborationCaret.configure({ provider, user: me }),
        ...extensions,
      ],
      editorProps: { attributes: { role: "textbox", "aria-multiline": "true", "aria-label": label ?? t("ux.editorLabel"), "data-testid": testId } },
    },
    [doc, provider, editable, revoked, me.name, me.color],
  );
  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);

  const myClientId = provider.awareness.clientID;
  return (
    <div className="stack">
      {revoked ? (
        <p className="notice" role="status" data-testid="editor-revoked" data-reason={revoked}>
          {t(`editor.${revoked}`)}
        </p>
      ) : (
        <p className={`status-line${status === "disconnected" ? " offline" : ""}`} data-testid="editor-status" data-synced={synced}>
          {t(status === "connected" ? "editor.connected" : status === "connecting" ? "editor.connecting" : "editor.offline")}
        </p>
      )}
      {people.length > 0 ? (
        <div className="presence" data-testid="presence">
          <span>{t("editor.present")}</span>
          {people.map((p) => (
            <span key={p.clientId} className="person" style={{ background: p.color }} data-testid="present-person">
              {p.name}
              {p.clientId === myClientId ? ` ${t("editor.you")}` : ""}
            </span>
          ))}
        </div>
      ) : null}
      <EditorContent editor={editor} className="editor" />
    </div>
  );
}
