// Which council seats count, as Prisma filters. A seat is a term (seatedAt → endedAt);
// only current terms give rights now, and a session that is over is judged by the
// terms in force when it adjourned, so unseating someone later never changes an old
// session's roll or quorum. Pure: imported by the live state and the seat commands alike.
import type { Prisma } from "~/generated/prisma/client";

/** Terms that give rights now (endedAt null; `current` is the column the unique key uses). */
export const CURRENT_SEAT = { current: true } satisfies Prisma.CouncilSeatWhereInput;

/** The terms of one council in force at `at`; null means now. */
export function seatsInForce(councilId: string, at: Date | null): Prisma.CouncilSeatWhereInput {
  if (!at) return { councilId, ...CURRENT_SEAT };
  return { councilId, seatedAt: { lte: at }, OR: [{ endedAt: null }, { endedAt: { gt: at } }] };
}
