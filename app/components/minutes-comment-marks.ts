// Review comments drawn onto the minutes: each open comment's passage is underlined where it
// is now, found through the Yjs relative positions stored with the comment (they follow the
// text through later edits, unlike character offsets). Decorations only: nothing is written
// into the shared document.
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import * as Y from "yjs";

export type CommentMark = { id: string; from?: string; to?: string };

export const commentMarksKey = new PluginKey<{ marks: CommentMark[]; set: DecorationSet }>("minutesCommentMarks");

const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

function decorations(state: EditorState, marks: CommentMark[]): DecorationSet {
  const binding = ySyncPluginKey.getState(state)?.binding as { doc: Y.Doc; type: Y.XmlFragment; mapping: Map<unknown, unknown> } | undefined;
  if (!binding || marks.length === 0) return DecorationSet.empty;
  const found: Decoration[] = [];
  for (const m of marks) {
    if (!m.from || !m.to) continue;
    try {
      const at = (rel: string) => relativePositionToAbsolutePosition(binding.doc, binding.type, Y.decodeRelativePosition(bytes(rel)), binding.mapping as never);
      const from = at(m.from);
      const to = at(m.to);
      // A passage deleted since the comment has nothing left to mark.
      if (from === null || to === null || from >= to || to > state.doc.content.size) continue;
      found.push(Decoration.inline(from, to, { class: "comment-mark", "data-comment-id": m.id }));
    } catch {
      // A malformed anchor (the API accepts what the client sent) marks nothing.
    }
  }
  return DecorationSet.create(state.doc, found);
}

/** Set the comments to mark: `editor.view.dispatch(editor.state.tr.setMeta(commentMarksKey, marks))`. */
export const CommentMarks = Extension.create({
  name: "minutesCommentMarks",
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: commentMarksKey,
        state: {
          init: (): { marks: CommentMark[]; set: DecorationSet } => ({ marks: [], set: DecorationSet.empty }),
          apply(tr, old, _before, state) {
            const marks = (tr.getMeta(commentMarksKey) as CommentMark[] | undefined) ?? old.marks;
            if (marks === old.marks && !tr.docChanged) return old;
            return { marks, set: decorations(state, marks) };
          },
        },
        props: { decorations: (state) => commentMarksKey.getState(state)?.set },
      }),
    ];
  },
});
