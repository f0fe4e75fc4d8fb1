// The domain's words (../shared/docs/domain.md) as the one list of values that
// the database, the zod schemas, the API and the screens all use.
import { z } from "zod";

export const ROLES = [
  "resident",
  "gridWorker",
  "buildingHead",
  "unitHead",
  "communityStaff",
  "propertyCompany",
  "ownersCommittee",
  "secretary",
  "chair",
  "observer",
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Whom a seated council member speaks for. */
export const CONSTITUENCIES = ["resident", "propertyCompany", "ownersCommittee", "communityStaff", "gridWorker"] as const;
export const constituencySchema = z.enum(CONSTITUENCIES);
export type Constituency = z.infer<typeof constituencySchema>;

/** Co-handling units (协办单位: utility, police station, urban management) take referrals like the property company does. */
export const ORGANIZATION_KINDS = [
  "propertyCompany",
  "ownersCommittee",
  "communityOffice",
  "utility",
  "policeStation",
  "urbanManagement",
  "partyBranch",
  "volunteerTeam",
  "merchant",
  "other",
] as const;
export const organizationKindSchema = z.enum(ORGANIZATION_KINDS);
export type OrganizationKind = z.infer<typeof organizationKindSchema>;

/** The place hierarchy under a community: 网格 → 楼栋 → 单元 → 户. */
export const PLACE_KINDS = ["grid", "building", "unit", "household"] as const;
export const placeKindSchema = z.enum(PLACE_KINDS);
export type PlaceKind = z.infer<typeof placeKindSchema>;

export const SESSION_MODES = ["inPerson", "online", "hybrid"] as const;
export const SESSION_STATUSES = ["scheduled", "open", "adjourned", "cancelled"] as const;

export const LOCALES = ["zh-CN", "en"] as const;
export const localeSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof localeSchema>;
export const DEFAULT_LOCALE: Locale = "zh-CN";

/** Co-edited documents are named "<kind>:<id>"; the kind decides who may open them. */
export const DOCUMENT_KINDS = ["agenda-item", "minutes"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const documentNameSchema = z
  .string()
  .max(200)
  .regex(/^(agenda-item|minutes):([A-Za-z0-9_-]{1,64})$/, "document name must look like agenda-item:<id> or minutes:<sessionId>");

export function parseDocumentName(name: string): { kind: DocumentKind; id: string } | null {
  const parsed = documentNameSchema.safeParse(name);
  if (!parsed.success) return null;
  const [kind, id] = parsed.data.split(":") as [DocumentKind, string];
  return { kind, id };
}

export function agendaItemDocumentName(itemId: string): string {
  return `agenda-item:${itemId}`;
}

/** The minutes of a session (会议纪要), one Y.Doc per session. */
export function minutesDocumentName(sessionId: string): string {
  return `minutes:${sessionId}`;
}

/** The steps of a session's minutes: draft → inReview → approved → published (a correction goes back to draft). */
export const MINUTES_STATES = ["draft", "inReview", "approved", "published"] as const;
export type MinutesState = (typeof MINUTES_STATES)[number];

/** Every status a topic can have; the moves between them are app/models/topic-states.ts. */
export const TOPIC_STATUSES = ["raised", "referred", "accepted", "scheduled", "resolved", "answered", "merged", "declined"] as const;
export type TopicStatus = (typeof TOPIC_STATUSES)[number];

/** A closed topic takes no more co-signs and no more moves. */
export const CLOSED_STATUSES: readonly TopicStatus[] = ["answered", "merged", "declined"];

export function isClosed(status: string): boolean {
  return (CLOSED_STATUSES as readonly string[]).includes(status);
}

/** Every step a topic's timeline records (app/i18n: timeline.<kind>). */
export const TOPIC_EVENT_KINDS = [
  "raised",
  "ready",
  "answered",
  "referred",
  "orgAnswered",
  "merged",
  "mergedFrom",
  "declined",
  "accepted",
  "scheduled",
  "unscheduled",
  "agendaPublished",
  "resolved",
  "voteFailed",
] as const;
export type TopicEventKind = (typeof TOPIC_EVENT_KINDS)[number];

/** Every kind of in-app notification (app/i18n: notifications.types.<type>). */
export const NOTIFICATION_TYPES = [
  "topicRaised",
  "topicMoved",
  "topicReady",
  "topicReferred",
  "agendaPublished",
  // 会议纪要 (app/models/minutes.server.ts)
  "minutesInReview",
  "minutesComment",
  "minutesCommentResolved",
  "minutesApproved",
  "minutesPublished",
  "minutesCorrected",
  "minutesObjection",
  "minutesObjectionAnswered",
  // from the scheduler (app/models/jobs.server.ts): a notice period ended, to staff
  "minutesNoticeEnded",
  // 联办任务 (app/models/task.server.ts); taskDueSoon / taskOverdue come from the scheduler.
  "taskAssigned",
  "taskVerify",
  "taskSentBack",
  "taskClosed",
  "taskExtensionRequested",
  "taskExtensionDecided",
  "taskDueSoon",
  "taskOverdue",
  // 志愿活动 (app/models/volunteer.server.ts): cancelled, its time or place changed, a waiting place freed.
  "volunteerActivityCancelled",
  "volunteerActivityChanged",
  "volunteerPromoted",
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** A motion's life in a live session (app/i18n: live.motionStatus.<status>). */
export const MOTION_STATUSES = ["proposed", "seconded", "voting", "closed", "withdrawn"] as const;
export type MotionStatus = (typeof MOTION_STATUSES)[number];
