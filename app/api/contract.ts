// Every endpoint of /api/v1, declared once. Routes in app/routes/api.v1.* run
// them with `handle`; /api/v1/openapi.json is generated from this list.
import { z } from "zod";
import { endpoint, type Endpoint } from "~/utils/api.server";
import { minutesApi } from "./contract.minutes";
import { secretaryApi } from "./contract.secretary";
import { importApi } from "./contract.import";
import { resetApi } from "./contract.reset";
import { AUDIT_ACTIONS } from "~/models/audit.server";
import { dashboardApi } from "./contract.dashboard";
import { volunteerApi } from "./contract.volunteer";
import { CONSTITUENCIES, ROLES, SESSION_STATUSES } from "~/utils/domain";
import { LIVE_ACTIONS, liveActionNames, type LiveActionName } from "~/models/live-actions.server";
import { TOPIC_MOVES, TOPIC_STATUSES } from "~/models/topic-states";
import { taskEndpoints } from "./contract.tasks";
import { placesApi, seatTermWithPlace } from "./contract.places";
import { seatWithPlaceSchema } from "~/utils/places-schemas";
import {
  agendaAddSchema,
  agendaReorderSchema,
  idSchema,
  inviteAcceptSchema,
  inviteCreateSchema,
  memberStatusSchema,
  roleGrantSchema,
  sessionCreateSchema,
  sessionListSchema,
  tokenRequestSchema,
  communitySettingsSchema,
  categorySchema,
  tokenResponseSchema,
  topicListSchema,
  topicMoveSchema,
  topicRaiseSchema,
} from "~/utils/schemas";

const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const topicParam = z.object({ topicId: idSchema });
const sessionParam = z.object({ sessionId: idSchema });
const date = z.string().describe("ISO 8601 date-time");
const topicSummary = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  status: z.enum(TOPIC_STATUSES),
  coSignCount: z.number().int(),
  ready: z.boolean(),
  createdAt: date,
  raisedBy: z.string(),
  place: z.string(),
  photos: z.number().int(),
});
const settingsResponse = z.object({
  coSignThreshold: z.number().int(),
  councils: z.array(z.object({ id: z.string(), name: z.string(), quorumRatio: z.number(), quorumInclusive: z.boolean(), seats: z.number().int() })),
  categories: z.array(categorySchema),
});
const councilParam = z.object({ councilId: idSchema });
const seatTerm = seatTermWithPlace;
const memberParam = slugParam.extend({ userId: idSchema });
const member = z.object({ userId: z.string(), displayName: z.string(), roles: z.array(z.enum(ROLES)), active: z.boolean() });
const memberChange = member.omit({ displayName: true });
const timelineStep = z.object({ type: z.string(), at: date, by: z.string().nullable(), data: z.record(z.string(), z.unknown()) });

const agendaItemSummary = z.object({
  id: z.string(),
  position: z.number().int(),
  title: z.string(),
  text: z.string().describe("Rendered plain text of the co-edited document, a moment behind the live text"),
  timeSlotMin: z.number().int().nullable(),
  topicId: z.string().nullable(),
});

export const api = {
  ...minutesApi,
  ...secretaryApi,
  ...taskEndpoints,
  ...placesApi,
  ...importApi,
  ...resetApi,
  token: endpoint({
    method: "POST",
    path: "/api/v1/auth/token",
    summary:
      "Exchange a phone number or username and password for a bearer token (API, Socket.IO auth.token, Yjs ?token=). Sign-in is throttled per address and per account: 429 with Retry-After",
    tag: "auth",
    auth: false,
    body: tokenRequestSchema,
    response: tokenResponseSchema,
    errors: [401, 429],
  }),
  listTokens: endpoint({
    method: "GET",
    path: "/api/v1/tokens",
    summary: "The signed-in person's API tokens (never their secrets)",
    tag: "auth",
    auth: true,
    response: z.object({ tokens: z.array(z.object({ id: z.string(), name: z.string(), createdAt: date, expiresAt: date })) }),
  }),
  revokeToken: endpoint({
    method: "DELETE",
    path: "/api/v1/tokens/{id}",
    summary: "Revoke one of one's own API tokens; live connections opened with it are re-checked",
    tag: "auth",
    auth: true,
    params: z.object({ id: idSchema }),
    response: z.object({ revoked: z.literal(true) }),
    errors: [404],
  }),
  realtimeTicket: endpoint({
    method: "POST",
    path: "/api/v1/realtime/ticket",
    summary:
      "A single-use ticket, valid for 60 seconds, to open one realtime connection without a long-lived token in the URL: Yjs ws …/yjs/{doc}?ticket=…, Socket.IO auth: { ticket }",
    tag: "auth",
    auth: true,
    response: z.object({ ticket: z.string(), expiresAt: date }),
    errors: [429],
  }),
  me: endpoint({
    method: "GET",
    path: "/api/v1/me",
    summary:
      "The signed-in person: their active memberships (one per role, with its organisation and place), the same grouped by community, their current council seats, and the street office they are super-user of (district, or null)",
    tag: "auth",
    auth: true,
    response: z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      locale: z.string(),
      memberships: z.array(
        z.object({
          communityId: z.string(),
          communitySlug: z.string(),
          communityName: z.string(),
          role: z.enum(ROLES),
          organization: z.object({ id: z.string(), name: z.string(), actsForOrganization: z.boolean() }).nullable(),
          place: z
            .object({
              gridId: z.string().nullable(),
              buildingId: z.string().nullable(),
              unitId: z.string().nullable(),
              householdId: z.string().nullable(),
              label: z.string().describe("第一网格 / 3号楼 / 1单元 / 1201"),
            })
            .nullable(),
        }),
      ),
      communities: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) })),
      seats: z.array(z.object({ councilId: z.string(), councilName: z.string(), constituency: z.enum(CONSTITUENCIES) })),
      superUser: z.boolean().describe("true for a street office's super-user"),
      district: z.object({ id: z.string(), name: z.string(), city: z.string(), communities: z.array(z.string()).describe("slugs") }).nullable(),
    }),
  }),
  session: endpoint({
    method: "GET",
    path: "/api/v1/sessions/{sessionId}",
    summary: "A council session and its agenda",
    tag: "sessions",
    auth: true,
    params: z.object({ sessionId: idSchema }),
    response: z.object({
      id: z.string(),
      title: z.string(),
      scheduledAt: z.string(),
      place: z.string(),
      mode: z.string(),
      status: z.string(),
      council: z.object({ id: z.string(), name: z.string() }),
      community: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
      agendaItems: z.array(agendaItemSummary),
    }),
    errors: [403, 404],
  }),
  agendaItem: endpoint({
    method: "GET",
    path: "/api/v1/agenda-items/{itemId}",
    summary: "One agenda item: its rendered text and the name of its co-edited Yjs document (ws …/yjs/{documentName})",
    tag: "sessions",
    auth: true,
    params: z.object({ itemId: idSchema }),
    response: agendaItemSummary.extend({
      sessionId: z.string(),
      html: z.string(),
      renderedAt: z.string().nullable(),
      documentName: z.string(),
      canEdit: z.boolean(),
    }),
    errors: [403, 404],
  }),
  createInvite: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/invites",
    summary:
      "Create an invitation link that makes an account in the community with a role, and optionally an organisation and a home place (grid, building, unit or household: the most specific decides, the rest are derived) (community staff)",
    tag: "communities",
    auth: true,
    params: z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/) }),
    body: inviteCreateSchema,
    response: z.object({ token: z.string(), path: z.string(), role: z.enum(ROLES), expiresAt: z.string(), maxUses: z.number().int() }),
    errors: [403, 404],
  }),
  acceptInvite: endpoint({
    method: "POST",
    path: "/api/v1/invites/{token}/accept",
    summary: "Create an account through an invitation link",
    tag: "communities",
    auth: false,
    params: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) }),
    body: inviteAcceptSchema,
    response: z.object({ userId: z.string() }),
    errors: [409, 410, 429],
  }),
  listTopics: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/topics",
    summary:
      "The community's topic board: search (Chinese substrings too), filters (place: a grid, building or unit id, everything under it included), pages of 20",
    tag: "topics",
    auth: true,
    params: slugParam,
    query: topicListSchema,
    response: z.object({ items: z.array(topicSummary), total: z.number().int(), page: z.number().int(), pages: z.number().int() }),
    errors: [403, 404],
  }),
  raiseTopic: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/topics",
    summary: "Raise a topic (居民出题); as multipart/form-data, up to 9 photos in `photos`",
    tag: "topics",
    auth: true,
    params: slugParam,
    body: topicRaiseSchema,
    multipart: true,
    response: z.object({ id: z.string(), title: z.string(), status: z.enum(TOPIC_STATUSES) }),
    errors: [403, 404],
  }),
  topic: endpoint({
    method: "GET",
    path: "/api/v1/topics/{topicId}",
    summary: "One topic with its photos, co-signs and timeline, and the moves the caller may make",
    tag: "topics",
    auth: true,
    params: topicParam,
    response: z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      category: z.string(),
      status: z.enum(TOPIC_STATUSES),
      coSignCount: z.number().int(),
      coSignedByMe: z.boolean(),
      ready: z.boolean(),
      answer: z.string().nullable(),
      referredTo: z.string().nullable(),
      referralDue: date.nullable(),
      overdue: z.boolean(),
      photos: z.array(z.object({ url: z.string(), width: z.number().int(), height: z.number().int() })),
      timeline: z.array(timelineStep),
      moves: z.array(z.enum(Object.keys(TOPIC_MOVES) as [keyof typeof TOPIC_MOVES])),
    }),
    errors: [403, 404],
  }),
  coSign: endpoint({
    method: "POST",
    path: "/api/v1/topics/{topicId}/co-sign",
    summary: "Co-sign (附议) a topic; doing it twice counts once",
    tag: "topics",
    auth: true,
    params: topicParam,
    response: z.object({ count: z.number().int(), coSigned: z.boolean() }),
    errors: [403, 404],
  }),
  withdrawCoSign: endpoint({
    method: "DELETE",
    path: "/api/v1/topics/{topicId}/co-sign",
    summary: "Withdraw one's co-sign",
    tag: "topics",
    auth: true,
    params: topicParam,
    response: z.object({ count: z.number().int(), coSigned: z.boolean() }),
    errors: [403, 404],
  }),
  moveTopic: endpoint({
    method: "POST",
    path: "/api/v1/topics/{topicId}/moves",
    summary: "Triage (staff) or answer (the referred organisation): every move is checked against the topic state machine",
    tag: "topics",
    auth: true,
    params: topicParam,
    body: topicMoveSchema,
    response: z.object({ topicId: z.string(), status: z.enum(TOPIC_STATUSES) }),
    errors: [403, 404, 409],
  }),
  triage: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/triage",
    summary: "Staff triage queue, most urgent first (co-signs, age, deadlines); ?place= a grid, building or unit id (everything under it)",
    tag: "topics",
    auth: true,
    params: slugParam,
    query: z.object({ place: idSchema.optional() }),
    response: z.object({
      items: z.array(
        topicSummary
          .pick({ id: true, title: true, status: true, coSignCount: true, ready: true, createdAt: true })
          .extend({ overdue: z.boolean(), urgency: z.number() }),
      ),
    }),
    errors: [403, 404],
  }),
  referrals: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/referrals",
    summary: "Topics referred to the caller's organisations, waiting for a formal answer",
    tag: "topics",
    auth: true,
    params: slugParam,
    response: z.object({
      items: z.array(z.object({ id: z.string(), title: z.string(), referralDue: date.nullable(), overdue: z.boolean(), organization: z.string() })),
    }),
    errors: [403, 404],
  }),
  listSessions: endpoint({
    method: "GET",
    path: "/api/v1/sessions",
    summary:
      "Council sessions, newest first, 50 a page: of one community (?community=slug; 403 unless a member) or of every community one belongs to; by status and by Beijing date (from/to: YYYY-MM-DD, inclusive)",
    tag: "sessions",
    auth: true,
    query: sessionListSchema,
    response: z.object({
      sessions: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          scheduledAt: date,
          place: z.string(),
          mode: z.string(),
          status: z.enum(SESSION_STATUSES),
          council: z.object({ id: z.string(), name: z.string() }),
          community: z.object({ slug: z.string(), name: z.string() }),
        }),
      ),
      total: z.number().int(),
      page: z.number().int(),
      pageSize: z.number().int(),
    }),
    errors: [403, 404],
  }),
  createSession: endpoint({
    method: "POST",
    path: "/api/v1/sessions",
    summary: "Schedule a council session (staff); datetime-local values are Beijing time",
    tag: "sessions",
    auth: true,
    body: sessionCreateSchema,
    response: z.object({ id: z.string(), title: z.string(), scheduledAt: date }),
    errors: [403],
  }),
  addAgendaItem: endpoint({
    method: "POST",
    path: "/api/v1/sessions/{sessionId}/agenda",
    summary: "Add an accepted topic ({topicId}) or a free item ({title, text}) to a scheduled session's agenda",
    tag: "sessions",
    auth: true,
    params: sessionParam,
    body: agendaAddSchema,
    response: z.object({ agendaItemId: z.string().optional(), topicId: z.string().optional(), status: z.string().optional() }),
    errors: [403, 404, 409],
  }),
  removeAgendaItem: endpoint({
    method: "DELETE",
    path: "/api/v1/sessions/{sessionId}/agenda/{itemId}",
    summary: "Take an item off a scheduled session's agenda (its topic goes back to accepted)",
    tag: "sessions",
    auth: true,
    params: sessionParam.extend({ itemId: idSchema }),
    response: z.object({ removed: z.string().optional(), topicId: z.string().optional(), status: z.string().optional() }),
    errors: [403, 404],
  }),
  reorderAgenda: endpoint({
    method: "POST",
    path: "/api/v1/sessions/{sessionId}/agenda/order",
    summary: "Set the order of the agenda: every item id of the session exactly once",
    tag: "sessions",
    auth: true,
    params: sessionParam,
    body: agendaReorderSchema,
    response: z.object({ ok: z.literal(true) }),
    errors: [403, 404],
  }),
  publishAgenda: endpoint({
    method: "POST",
    path: "/api/v1/sessions/{sessionId}/publish",
    summary: "Publish the agenda to the council's members (they are notified)",
    tag: "sessions",
    auth: true,
    params: sessionParam,
    response: z.object({ publishedAt: date }),
    errors: [403, 404],
  }),
  notifications: endpoint({
    method: "GET",
    path: "/api/v1/notifications",
    summary: "The caller's notifications, newest first, and the unread count",
    tag: "notifications",
    auth: true,
    query: z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) }),
    response: z.object({
      unread: z.number().int(),
      items: z.array(
        z.object({
          id: z.string(),
          type: z.string(),
          read: z.boolean(),
          createdAt: date,
          topicId: z.string().nullable(),
          sessionId: z.string().nullable(),
          data: z.record(z.string(), z.unknown()),
        }),
      ),
    }),
  }),
  readNotifications: endpoint({
    method: "POST",
    path: "/api/v1/notifications/read",
    summary: "Mark notifications read: a list of ids, or all",
    tag: "notifications",
    auth: true,
    body: z.object({ ids: z.union([z.array(idSchema).max(500), z.literal("all")]) }),
    response: z.object({ marked: z.number().int(), unread: z.number().int() }),
  }),
  settings: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/settings",
    summary: "The community's co-sign threshold, councils' quorum rules and topic categories",
    tag: "communities",
    auth: true,
    params: slugParam,
    response: settingsResponse,
    errors: [403, 404],
  }),
  updateSettings: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/settings",
    summary: "Change the settings (community staff); categories left out of the list are archived, never deleted",
    tag: "communities",
    auth: true,
    params: slugParam,
    body: communitySettingsSchema,
    response: settingsResponse,
    errors: [403, 404],
  }),
  seats: endpoint({
    method: "GET",
    path: "/api/v1/councils/{councilId}/seats",
    summary: "A council's seats: the current terms and the ended ones (history, newest first); any member of its community",
    tag: "councils",
    auth: true,
    params: councilParam,
    response: z.object({
      council: z.object({ id: z.string(), name: z.string() }),
      current: z.array(seatTerm),
      history: z.array(seatTerm),
    }),
    errors: [403, 404],
  }),
  seat: endpoint({
    method: "POST",
    path: "/api/v1/councils/{councilId}/seats",
    summary:
      "Seat a member of the community (community staff): starts a term; 409 if they already hold a current seat here. Their live connections are re-checked at once",
    tag: "councils",
    auth: true,
    params: councilParam,
    body: seatWithPlaceSchema,
    response: seatTerm.omit({ displayName: true }),
    errors: [403, 404, 409],
  }),
  unseat: endpoint({
    method: "DELETE",
    path: "/api/v1/councils/{councilId}/seats/{userId}",
    summary:
      "End a member's current term (community staff); the term stays in the history. From now on they neither vote nor count towards quorum; closed votes and past sessions keep their roll",
    tag: "councils",
    auth: true,
    params: councilParam.extend({ userId: idSchema }),
    response: z.object({ userId: z.string(), to: date }),
    errors: [403, 404],
  }),
  members: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/members",
    summary: "The community's members and their roles (any member); staff also see deactivated members (active: false)",
    tag: "communities",
    auth: true,
    params: slugParam,
    response: z.object({ members: z.array(member) }),
    errors: [403, 404],
  }),
  grantRole: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/{userId}/roles",
    summary: "Grant a member a role (community staff); 409 if they hold it or are deactivated. Audited; their live connections are re-checked",
    tag: "communities",
    auth: true,
    params: memberParam,
    body: roleGrantSchema,
    response: memberChange,
    errors: [403, 404, 409],
  }),
  revokeRole: endpoint({
    method: "DELETE",
    path: "/api/v1/communities/{slug}/members/{userId}/roles/{role}",
    summary:
      "Revoke a member's role (community staff); 409 for their only role (deactivate instead) or for the community's last active staff member. Audited; their live connections are re-checked",
    tag: "communities",
    auth: true,
    params: memberParam.extend({ role: z.enum(ROLES) }),
    response: memberChange,
    errors: [403, 404, 409],
  }),
  memberStatus: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/{userId}/status",
    summary:
      "Deactivate (active: false) or reactivate a member (community staff). A deactivated member can no longer act in the community and their current seats end; their topics, votes and other rows stay. The last active staff member cannot be deactivated. Audited",
    tag: "communities",
    auth: true,
    params: memberParam,
    body: memberStatusSchema,
    response: memberChange,
    errors: [403, 404, 409],
  }),
  audit: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/audit",
    summary:
      "The community's audit log, newest first (community staff): every change of a role, a seat or a setting, who made it, when, before and after. Append-only",
    tag: "communities",
    auth: true,
    params: slugParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: idSchema.optional().describe("next from the previous page"),
    }),
    response: z.object({
      entries: z.array(
        z.object({
          id: z.string(),
          at: date,
          action: z.enum(AUDIT_ACTIONS),
          actor: z.object({ id: z.string(), name: z.string() }),
          subject: z.object({ id: z.string(), name: z.string() }).nullable(),
          before: z.unknown(),
          after: z.unknown(),
        }),
      ),
      next: z.string().nullable(),
    }),
    errors: [403, 404],
  }),
  liveState: endpoint({
    method: "GET",
    path: "/api/v1/sessions/{sessionId}/live",
    summary: "A session's live state: status, current item, floor, hands, attendance, quorum, motions, tally (the same payload as the session:state event)",
    tag: "live",
    auth: true,
    params: sessionParam,
    response: z.record(z.string(), z.unknown()),
    errors: [403, 404],
  }),
  checkInLink: endpoint({
    method: "GET",
    path: "/api/v1/sessions/{sessionId}/check-in-link",
    summary:
      "The chair's signed check-in link for the meeting-room screen's QR code. It rotates every minute and is accepted until a short grace after its minute (expiresAt): fetch it again every minute",
    tag: "live",
    auth: true,
    params: sessionParam,
    response: z.object({ url: z.string(), expiresAt: date, refreshAt: date.describe("When the next link is issued") }),
    errors: [403, 404],
  }),
  health: endpoint({
    method: "GET",
    path: "/api/v1/health",
    summary:
      "Liveness ({ ok: true }) for anyone; for community staff, or with `Authorization: Bearer <METRICS_TOKEN>`, also what this process holds (co-edited documents loaded, Yjs connections, uptime)",
    tag: "system",
    auth: false,
    response: z.object({
      ok: z.literal(true),
      documentsLoaded: z.number().int().optional(),
      connections: z.number().int().optional(),
      uptimeSeconds: z.number().optional(),
    }),
  }),
  ...dashboardApi,
  ...volunteerApi,
};

/** POST /api/v1/live/<action>: one endpoint per live-session action (docs/realtime.md), same schema as the Socket.IO event. */
export const liveEndpoints = Object.fromEntries(
  liveActionNames.map((name) => [
    name,
    endpoint({
      method: "POST",
      path: `/api/v1/live/${name}`,
      summary: LIVE_ACTIONS[name].summary,
      tag: "live",
      auth: true,
      body: LIVE_ACTIONS[name].schema as z.ZodType,
      response: z.record(z.string(), z.unknown()),
      errors: [403, 404, 409],
    }),
  ]),
) as unknown as Record<LiveActionName, Endpoint>;
