// When a right changes in the domain (a session adjourns, an agenda item goes,
// a membership, seat or role changes, someone signs out or a token is revoked),
// the model calls rightsChanged(); every live connection it touches, on every
// process, is re-authorised (docs/realtime.md, "When rights change").
export type RightsChange =
  | { userId: string }
  | { sessionId: string }
  | { agendaItemId: string; removed?: boolean }
  | { communityId: string }
  /** Not a change: the periodic sweep that catches what expires by itself (sessions, tokens). */
  | { everyone: true };

type Listener = (change: RightsChange) => void;
const listeners = new Set<Listener>();

/** The realtime layer listens here (and forwards to other processes through Redis). */
export function onRightsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function rightsChanged(change: RightsChange): void {
  for (const listener of listeners) listener(change);
}
