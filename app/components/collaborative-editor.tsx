// The live agenda-item editor: Tiptap bound to the item's Y.Doc through the
// stock y-websocket provider, with carets and a list of who is here. Browser only.
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { websocketOrigin } from "~/utils/live";

type Person = { clientId: number; id?: string; name: string; color: string };
type Status = "connecting" | "connected" | "disconnected";

type Me = { name: string; color: string };

/**
 * Close codes after which reconnecting cannot help (server/yjs/limits.ts): the
 * document is over its size cap, or this client's edit is. The stock provider
 * would retry forever; the page stops and says why instead.
 */
const FINAL_CLOSES: Record<number, string> = { 4413: "editor.documentFull", 1009: "editor.editTooLarge" };

export default function CollaborativeEditor({ docName, editable, me }: { docName: string; editable: boolean; me: Me }) {
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
  return <BoundEditor key={docName} doc={binding.doc} provider={binding.provider} editable={editable} me={me} />;
}

function BoundEditor({ doc, provider, editable, me }: { doc: Y.Doc; provider: WebsocketProvider; editable: boolean; me: Me }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>("connecting");
  const [people, setPeople] = useState<Person[]>([]);
  const [synced, setSynced] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);

  useEffect(() => {
    const onStatus = ({ status }: { status: Status }) => setStatus(status);
    const onSync = (isSynced: boolean) => setSynced(isSynced);
    const onClose = (event: { code: number } | null) => {
      const key = event ? FINAL_CLOSES[event.code] : undefined;
      if (!key) return;
      provider.disconnect();
      setRefused(key);
    };
    const onAwareness = () => {
      const list: Person[] = [];
      provider.awareness.getStates().forEach((state, clientId) => {
        const user = state.user as { id?: string; name?: string; color?: string } | undefined;
        if (user?.name) list.push({ clientId, id: user.id, name: user.name, color: user.color ?? "#888" });
      });
      setPeople(list);
    };
    provider.on("status", onStatus);
    provider.on("sync", onSync);
    provider.on("connection-close", onClose);
    provider.awareness.on("change", onAwareness);
    if (provider.wsconnected) setStatus("connected");
    setSynced(provider.synced);
    onAwareness();
    return () => {
      provider.off("status", onStatus);
      provider.off("sync", onSync);
      provider.off("connection-close", onClose);
      provider.awareness.off("change", onAwareness);
    };
  }, [provider]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: doc }),
        // The server stamps every presence with the signed-in person's name and colour anyway;
        // setting the same here keeps this client's own entry consistent with what others see.
        CollaborationCaret.configure({ provider, user: me }),
      ],
      editorProps: { attributes: { "aria-label": "agenda item text", "data-testid": "agenda-editor" } },
    },
    [doc, provider, editable, me.name, me.color],
  );

  const myClientId = provider.awareness.clientID;
  return (
    <div className="stack">
      <p className={`status-line${status === "disconnected" ? " offline" : ""}`} data-testid="editor-status" data-synced={synced}>
        {refused ? t(refused) : t(status === "connected" ? "editor.connected" : status === "connecting" ? "editor.connecting" : "editor.offline")}
      </p>
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
