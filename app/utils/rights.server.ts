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

type Listener = (change: RightsChange) => Promise<void> | void;
const listeners = new Set<Listener>();

/** The realtime layer listens here (and forwards to other processes through Redis). */
export function onRightsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Resolves once this process's live connections have been re-checked, so the
 * request that changed a right answers only after it has taken effect here
 * (other processes hear it through Redis a moment later). Never rejects.
 */
export async function rightsChanged(change: RightsChange): Promise<void> {
  await Promise.allSettled([...listeners].map((listener) => listener(change)));
}
