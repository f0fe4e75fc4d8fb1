// The topic state machine: the only way a topic's status changes. Shared by the
// server (which enforces it) and the pages (which offer only legal moves).
import { z } from "zod";
import { Refusal } from "~/utils/errors";

import { TOPIC_STATUSES, type TopicStatus } from "~/utils/domain";

export { CLOSED_STATUSES, TOPIC_STATUSES, isClosed, type TopicStatus } from "~/utils/domain";
export const topicStatusSchema = z.enum(TOPIC_STATUSES);

export const TOPIC_MOVES = {
  /** 前店: staff answer at once; the reply is public and closes the topic. */
  answer: { from: ["raised", "referred", "accepted"], to: "answered" },
  /** 物业答题: ask an organisation for a formal answer by a deadline. */
  refer: { from: ["raised", "accepted"], to: "referred" },
  /** The referred organisation's formal answer. */
  orgAnswer: { from: ["referred"], to: "answered" },
  merge: { from: ["raised", "referred", "accepted"], to: "merged" },
  decline: { from: ["raised", "referred", "accepted"], to: "declined" },
  /** 后厂: accepted for joint deliberation, waiting for a session. */
  accept: { from: ["raised", "referred"], to: "accepted" },
  /** Put on a session's agenda. */
  schedule: { from: ["raised", "referred", "accepted"], to: "scheduled" },
  /** Taken off an agenda again. */
  unschedule: { from: ["scheduled"], to: "accepted" },
  /** The council passed a resolution on it (made by closing a vote, never by hand). */
  resolve: { from: ["scheduled"], to: "resolved" },
} as const satisfies Record<string, { from: readonly TopicStatus[]; to: TopicStatus }>;
export type TopicMove = keyof typeof TOPIC_MOVES;

export function canMove(status: string, move: TopicMove): boolean {
  return (TOPIC_MOVES[move].from as readonly string[]).includes(status);
}

export class IllegalMove extends Refusal {
  constructor(
    readonly move: TopicMove,
    readonly from: string,
  ) {
    super(
      409,
      "errors.moveIllegal",
      { status: from },
      undefined,
      `a topic that is "${from}" cannot be moved by "${move}" (allowed from: ${TOPIC_MOVES[move].from.join(", ")})`,
    );
  }
}

export function assertMove(status: string, move: TopicMove): TopicStatus {
  if (!canMove(status, move)) throw new IllegalMove(move, status);
  return TOPIC_MOVES[move].to;
}

export const DEFAULT_CATEGORIES = [
  { key: "parking", nameZh: "停车", nameEn: "Parking" },
  { key: "greenery", nameZh: "绿化", nameEn: "Greenery" },
  { key: "sanitation", nameZh: "环境卫生", nameEn: "Sanitation" },
  { key: "facilities", nameZh: "设施与电梯", nameEn: "Facilities and lifts" },
  { key: "safety", nameZh: "安全", nameEn: "Safety" },
  { key: "dispute", nameZh: "邻里纠纷", nameEn: "Neighbour dispute" },
  { key: "other", nameZh: "其他", nameEn: "Other" },
] as const;
