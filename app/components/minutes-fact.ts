// The minutes' generated fact block (document.ts: minutesFact, attrs.key) as a Tiptap node:
// shown with a marked style and not editable. The server rewrites its content in the Y.Doc;
// in the editor, a local transaction that would change or remove a fact block is dropped
// (changes arriving from Yjs, the server's included, always pass).
import { Node, mergeAttributes } from "@tiptap/core";
import type { Node as PmNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { ySyncPluginKey } from "@tiptap/y-tiptap";

function facts(doc: PmNode): string {
  const out: string[] = [];
  doc.forEach((node) => {
    if (node.type.name === "minutesFact") out.push(JSON.stringify(node.toJSON()));
  });
  return out.join("\n");
}

export const MinutesFact = Node.create({
  name: "minutesFact",
  group: "block",
  content: "block+",
  defining: true,
  isolating: true,
  selectable: false,
  draggable: false,
  addAttributes() {
    return {
      key: {
        default: null,
        parseHTML: (el: HTMLElement) => el.getAttribute("data-fact"),
        renderHTML: (attrs: { key?: string | null }) => ({ "data-fact": attrs.key }),
      },
    };
  },
  parseHTML() {
    return [{ tag: "section[data-fact]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["section", mergeAttributes(HTMLAttributes, { class: "minutes-fact", contenteditable: "false", "data-testid": "minutes-fact" }), 0];
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("minutesFactGuard"),
        filterTransaction(tr, state) {
          if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
          return facts(state.doc) === facts(tr.doc);
        },
      }),
    ];
  },
});
