/** Dark enough for white text on a phone in daylight: each at least 4.5:1 against white (tests/ux.test.ts). */
export const CARET_COLORS = [
  "#d4380d",
  "#1d39c4",
  "#2f7d0a",
  "#c41d7f",
  "#8a5a00",
  "#006d75",
  "#531dab",
  "#7c5c00",
  "#cf1322",
  "#0958d9",
  "#237804",
  "#9e1068",
];

/** A stable caret colour per person; in a room, the next free one if someone else already has it. */
export function colorFor(userId: string, taken: ReadonlySet<string> = new Set()): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  for (let i = 0; i < CARET_COLORS.length; i++) {
    const color = CARET_COLORS[(h + i) % CARET_COLORS.length]!;
    if (!taken.has(color)) return color;
  }
  return CARET_COLORS[h % CARET_COLORS.length]!;
}

/** For a presence without a colour of its own; as dark as the rest. */
export const PRESENCE_FALLBACK_COLOR = "#595959";
