// The minutes editor: the shared collaborative editor on minutes:<sessionId>, with the fact
// node. Browser only (lazy-loaded by the minutes page).
import type { Editor } from "@tiptap/core";
import { ySyncPluginKey, absolutePositionToRelativePosition } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import CollaborativeEditor from "./collaborative-editor";
import { useCallback, useEffect, useState } from "react";
import { CommentMarks, commentMarksKey, type CommentMark } from "./minutes-comment-marks";
import { MinutesFact } from "./minutes-fact";

const extensions = [MinutesFact, CommentMarks];

export default function MinutesEditor(props: {
  docName: string;
  editable: boolean;
  me: { name: string; color: string };
  label: string;
  onEditor: (editor: Editor | null) => void;
  /** Open review comments, underlined where their passages are now. */
  comments: CommentMark[];
}) {
  const { comments, onEditor, ...rest } = props;
  const [editor, setEditor] = useState<Editor | null>(null);
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(commentMarksKey, comments));
  }, [editor, comments]);
  const bound = useCallback(
    (e: Editor | null) => {
      setEditor(e);
      onEditor(e);
    },
    [onEditor],
  );
  return <CollaborativeEditor {...rest} extensions={extensions} testId="minutes-editor" onEditor={bound} />;
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
