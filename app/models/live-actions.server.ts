// Every action in a live session, once: its name, the zod schema of its
// payload, and what it does. Socket.IO registers each as an event with an
// acknowledgement; the JSON API exposes each as POST /api/v1/live/<name>.
// docs/realtime.md lists them for people.
import { z } from "zod";
import type { Actor } from "~/utils/permissions.server";
import { idSchema } from "~/utils/schemas";
import { assertRotatingCheckInToken } from "./check-in-link.server";
import { castBallot } from "./live-ballots.server";
import * as live from "./live-session.server";
import { ballotInputSchema, motionInputSchema } from "./vote-rules";
import { taskFromResolutionSchema } from "~/utils/task-schemas";
import { createTaskFromResolution } from "./task.server";

const session = z.object({ sessionId: idSchema }).strict();
const motion = z.object({ motionId: idSchema }).strict();

type Action<S extends z.ZodType> = { summary: string; schema: S; run: (actor: Actor, input: z.infer<S>) => Promise<unknown> };
const action = <S extends z.ZodType>(a: Action<S>) => a;

export const LIVE_ACTIONS = {
  "session:open": action({ summary: "Chair opens the session", schema: session, run: (a, i) => live.openSession(a, i.sessionId) }),
  "session:adjourn": action({
    summary: "Chair adjourns the session (no vote may be open)",
    schema: session,
    run: (a, i) => live.adjournSession(a, i.sessionId),
  }),
  "session:resume": action({
    summary: "Chair takes back an adjournment within 10 minutes (RESUME_WINDOW_MS): the session is open again",
    schema: session,
    run: (a, i) => live.resumeSession(a, i.sessionId),
  }),
  "session:checkIn": action({
    summary: "Check in: yourself with the QR code's token, or (chair) anyone of the community by userId",
    schema: z.union([session.extend({ token: z.string().min(10).max(200) }).strict(), session.extend({ userId: idSchema }).strict()]),
    run: async (a, i) => {
      if ("token" in i) assertRotatingCheckInToken(i.token);
      return live.checkIn(a, i.sessionId, "token" in i ? { token: i.token } : { userId: i.userId });
    },
  }),
  "session:checkInSelf": action({
    summary: "Check yourself in from afar: hybrid and online sessions whose chair allows it (session:selfCheckIn)",
    schema: session,
    run: (a, i) => live.checkIn(a, i.sessionId, { self: true }),
  }),
  "session:selfCheckIn": action({
    summary: "Chair allows or stops self check-in for members not in the room (hybrid and online sessions)",
    schema: session.extend({ allowed: z.boolean() }).strict(),
    run: (a, i) => live.setSelfCheckIn(a, i.sessionId, i.allowed),
  }),
  "session:openItem": action({
    summary: "Chair opens an agenda item for deliberation",
    schema: session.extend({ itemId: idSchema }).strict(),
    run: (a, i) => live.openItem(a, i.sessionId, i.itemId),
  }),
  "session:proxy": action({
    summary: "Chair records a seated resident's authorisation for a building or unit head to vote for them",
    schema: session.extend({ grantorId: idSchema, proxyId: idSchema, note: z.string().max(200).optional() }).strict(),
    run: (a, i) => live.recordProxy(a, i.sessionId, i),
  }),
  "hand:raise": action({ summary: "Raise your hand to speak (checked-in people)", schema: session, run: (a, i) => live.raiseHand(a, i.sessionId) }),
  "hand:lower": action({
    summary: "Lower your hand, or (chair) someone else's",
    schema: session.extend({ userId: idSchema.optional() }).strict(),
    run: (a, i) => live.lowerHand(a, i.sessionId, i.userId),
  }),
  "floor:give": action({
    summary: "Chair gives the floor; the speaker's timer starts",
    schema: session.extend({ userId: idSchema }).strict(),
    run: (a, i) => live.giveFloor(a, i.sessionId, i.userId),
  }),
  "floor:take": action({ summary: "Chair takes the floor back", schema: session, run: (a, i) => live.takeFloor(a, i.sessionId) }),
  "motion:propose": action({
    summary: "Put a motion on the current item (checked-in seated members, or the chair)",
    schema: session.extend(motionInputSchema.shape).strict(),
    run: (a, { sessionId, ...m }) => live.proposeMotion(a, sessionId, m),
  }),
  "motion:second": action({
    summary: "Second someone else's motion (checked-in seated members)",
    schema: motion,
    run: (a, i) => live.secondMotion(a, i.motionId),
  }),
  "motion:withdraw": action({
    summary: "Withdraw a motion before its vote (proposer or chair)",
    schema: motion,
    run: (a, i) => live.withdrawMotion(a, i.motionId),
  }),
  "vote:open": action({ summary: "Chair calls the vote on a seconded motion (needs quorum)", schema: motion, run: (a, i) => live.openVote(a, i.motionId) }),
  "vote:cast": action({
    summary: "Cast or change a ballot; retries with the same clientBallotId count once",
    schema: ballotInputSchema,
    run: (a, i) => castBallot(a, i),
  }),
  "vote:close": action({
    summary: "Chair closes the vote; the server computes, stores and announces the result",
    schema: motion,
    run: (a, i) => live.closeVote(a, i.motionId),
  }),
  "task:fromResolution": action({
    summary: "Chair or staff turns a passed motion's resolution into a joint-handling task (联办任务): lead organisation, owner, deadline",
    schema: taskFromResolutionSchema,
    run: (a, i) => createTaskFromResolution(a, i),
  }),
} satisfies Record<string, Action<z.ZodType>>;

export type LiveActionName = keyof typeof LIVE_ACTIONS;
export const liveActionNames = Object.keys(LIVE_ACTIONS) as LiveActionName[];
