// The minutes editor: the shared collaborative editor on minutes:<sessionId>, with the fact
// node. Browser only (lazy-loaded by the minutes page).
import type { Editor } from "@tiptap/core";
import { ySyncPluginKey, absolutePositionToRelativePosition } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import CollaborativeEditor from "./collaborative-editor";
import { MinutesFact } from "./minutes-fact";

const extensions = [MinutesFact];

export default function MinutesEditor(props: {
  docName: string;
  editable: boolean;
  me: { name: string; color: string };
  label: string;
  onEditor: (editor: Editor | null) => void;
}) {
  return <CollaborativeEditor {...props} extensions={extensions} testId="minutes-editor" />;
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/**
 * The selected passage and where it is: Yjs relative positions of its ends (they survive later
 * edits) and the text just before it (a fallback anchor), for a review comment.
 */
export function selectedPassage(editor: Editor): { quote: string; from?: string; to?: string; prefix: string } | null {
  const { from, to } = editor.state.selection;
  if (from === to) return null;
  const quote = editor.state.doc.textBetween(from, to, "\n").trim();
  if (!quote) return null;
  const prefix = editor.state.doc.textBetween(Math.max(0, from - 40), from, "\n").slice(-40);
  try {
    const binding = ySyncPluginKey.getState(editor.state)?.binding as { type: Y.XmlFragment; mapping: Map<unknown, unknown> } | undefined;
    if (!binding) return { quote, prefix };
    const rel = (pos: number) => base64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)));
    return { quote, from: rel(from), to: rel(to), prefix };
  } catch {
    return { quote, prefix };
  }
}
