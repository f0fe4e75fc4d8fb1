// PostgreSQL's text cannot hold U+0000 (SQLite's can): a NUL in any input would reach a query
// there and fail as a server error. It is refused as input instead, before any schema or query
// sees it, on every channel (API, forms, Socket.IO). Found by tests/hostile-input.test.ts on PostgreSQL.

type Node = { item: unknown; key: string; parent: Node | null };

/**
 * The path of the first string holding U+0000 in a value (a payload, a form's fields, a query),
 * or null. Walked with a stack of its own and parent links, not recursion or path strings: hostile
 * JSON nests hundreds of thousands deep, and the path is built only for the string found.
 */
export function nulField(value: unknown): string | null {
  const stack: Node[] = [{ item: value, key: "", parent: null }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.item === "string") {
      if (!node.item.includes("\u0000")) continue;
      const keys: string[] = [];
      for (let n: Node | null = node; n?.parent; n = n.parent) keys.push(n.key);
      const path = keys.reverse().join(".");
      // A path thousands of keys long names nothing a person could fix: the payload as a whole.
      return path && path.length <= 200 ? path : "payload";
    }
    if (node.item !== null && typeof node.item === "object")
      for (const [key, child] of Object.entries(node.item)) stack.push({ item: child, key, parent: node });
  }
  return null;
}
