// Who may do what over the API: every demo role (README) and anonymous × every
// operation of the live OpenAPI document, against the real server. Each expected
// status is stated once, in EXPECTED below; where an operation is decided by one
// rule of the permission table (POLICY in app/utils/permissions.server.ts), the
// test also checks that the 403s are exactly the roles `can()` refuses.
//
// The requests run in the table's order, role by role in ROLES' order, on one
// fresh demo database: a state-changing call by an earlier role can change what
// a later one gets (a 409 after the first staff member accepted a topic), and
// the table says so. YISHI_MATRIX_RECORD=1 prints the observed table instead.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrlOf, freshDbFile, startServer, tokenFor, type RunningServer } from "./fixtures/server";

import { VOLUNTEER_CALLS, VOLUNTEER_EXPECTED, volunteerMatrixIds, type VolunteerIds } from "./fixtures/volunteer-matrix";
const ROLES = ["staff", "secretary", "grid1", "wuye", "yeweihui", "resident1", "resident3", "observer", "outsider", "anonymous"] as const;
type Role = (typeof ROLES)[number];
type Row = readonly [number, number, number, number, number, number, number, number, number, number];

type Ids = {
  sessionId: string;
  itemId: string;
  spareItemId: string;
  topicId: string;
  ownTopicId: string;
  councilId: string;
  grid1Id: string;
  resident1Id: string;
  resident3Id: string;
  /** The demo session's secretary (李敏): the new-secretary row names her again, leaving the session as it was. */
  secretaryId: string;
  inviteToken: string;
  settings: unknown;
  itemIds: string[];
  /** A task led by the property company (owner wuye), co-handled by the owners' committee, from resident3's topic. */
  taskId: string;
  extensionId: string;
  milestoneId: string;
  propertyId: string;
  wuyeId: string;
  /** Places and organisations of 幸福里 made for the matrix (issue 11): merged, archived and renamed by the rows below. */
  gridId: string;
  buildingId: string;
  mergeGridId: string;
  archiveGridId: string;
  orgId: string;
  archiveOrgId: string;
} & VolunteerIds;
type Call = { path: (ids: Ids) => string; body?: (ids: Ids, role: Role) => unknown };

/** How to call each operation ("METHOD /openapi/path"): path parameters and a body that passes validation, so that permission decides. */
const CALLS: Record<string, Call> = {
  ...(VOLUNTEER_CALLS as Record<string, Call>),
  "POST /api/v1/auth/token": { path: () => "/api/v1/auth/token", body: (_, role) => ({ identifier: `nobody-${role}`, password: "wrong-password" }) },
  "GET /api/v1/me": { path: () => "/api/v1/me" },
  "GET /api/v1/sessions/{sessionId}": { path: (i) => `/api/v1/sessions/${i.sessionId}` },
  "GET /api/v1/agenda-items/{itemId}": { path: (i) => `/api/v1/agenda-items/${i.itemId}` },
  "POST /api/v1/communities/{slug}/invites": { path: () => "/api/v1/communities/xingfuli/invites", body: () => ({ role: "resident", note: "matrix" }) },
  "POST /api/v1/invites/{token}/accept": {
    path: (i) => `/api/v1/invites/${i.inviteToken}/accept`,
    body: (_, role) => ({
      username: `matrix-${role}`.toLowerCase().slice(0, 32),
      displayName: "矩阵",
      phone: `139${String(ROLES.indexOf(role)).padStart(8, "0")}`,
      password: "a-long-password-1",
    }),
  },
  "GET /api/v1/communities/{slug}/topics": { path: () => "/api/v1/communities/xingfuli/topics" },
  "POST /api/v1/communities/{slug}/topics": {
    path: () => "/api/v1/communities/xingfuli/topics",
    body: (_, role) => ({ title: `权限矩阵议题 ${role}`, category: "other" }),
  },
  "GET /api/v1/topics/{topicId}": { path: (i) => `/api/v1/topics/${i.topicId}` },
  "POST /api/v1/topics/{topicId}/co-sign": { path: (i) => `/api/v1/topics/${i.ownTopicId}/co-sign` },
  "DELETE /api/v1/topics/{topicId}/co-sign": { path: (i) => `/api/v1/topics/${i.ownTopicId}/co-sign` },
  "POST /api/v1/topics/{topicId}/moves": { path: (i) => `/api/v1/topics/${i.ownTopicId}/moves`, body: () => ({ move: "accept" }) },
  "GET /api/v1/communities/{slug}/triage": { path: () => "/api/v1/communities/xingfuli/triage" },
  "GET /api/v1/communities/{slug}/referrals": { path: () => "/api/v1/communities/xingfuli/referrals" },
  "GET /api/v1/sessions": { path: () => "/api/v1/sessions?community=xingfuli&status=scheduled" },
  "POST /api/v1/sessions": { path: () => "/api/v1/sessions", body: (i) => ({ councilId: i.councilId, title: "矩阵会议", scheduledAt: "2099-01-01T10:00" }) },
  "POST /api/v1/sessions/{sessionId}/agenda": { path: (i) => `/api/v1/sessions/${i.sessionId}/agenda`, body: (_, role) => ({ title: `矩阵议程 ${role}` }) },
  "DELETE /api/v1/sessions/{sessionId}/agenda/{itemId}": { path: (i) => `/api/v1/sessions/${i.sessionId}/agenda/${i.spareItemId}` },
  "POST /api/v1/sessions/{sessionId}/agenda/order": { path: (i) => `/api/v1/sessions/${i.sessionId}/agenda/order`, body: (i) => ({ itemIds: i.itemIds }) },
  "POST /api/v1/sessions/{sessionId}/publish": { path: (i) => `/api/v1/sessions/${i.sessionId}/publish` },
  "POST /api/v1/sessions/{sessionId}/secretary": { path: (i) => `/api/v1/sessions/${i.sessionId}/secretary`, body: (i) => ({ secretaryId: i.secretaryId }) },
  "GET /api/v1/notifications": { path: () => "/api/v1/notifications" },
  "POST /api/v1/notifications/read": { path: () => "/api/v1/notifications/read", body: () => ({ ids: "all" }) },
  "GET /api/v1/communities/{slug}/settings": { path: () => "/api/v1/communities/xingfuli/settings" },
  "POST /api/v1/communities/{slug}/settings": { path: () => "/api/v1/communities/xingfuli/settings", body: () => ({ coSignThreshold: 5 }) },
  "GET /api/v1/councils/{councilId}/seats": { path: (i) => `/api/v1/councils/${i.councilId}/seats` },
  // resident3 holds no seat in the demo: seated by the first staff member, unseated again below (net: no change for later rows).
  "POST /api/v1/councils/{councilId}/seats": {
    path: (i) => `/api/v1/councils/${i.councilId}/seats`,
    body: (i) => ({ userId: i.resident3Id, constituency: "resident" }),
  },
  "DELETE /api/v1/councils/{councilId}/seats/{userId}": { path: (i) => `/api/v1/councils/${i.councilId}/seats/${i.resident3Id}` },
  "GET /api/v1/communities/{slug}/members": { path: () => "/api/v1/communities/xingfuli/members" },
  // A role granted by the first staff member and revoked again below; reactivating an active member changes nothing.
  "POST /api/v1/communities/{slug}/members/{userId}/roles": {
    path: (i) => `/api/v1/communities/xingfuli/members/${i.resident3Id}/roles`,
    body: () => ({ role: "unitHead" }),
  },
  "DELETE /api/v1/communities/{slug}/members/{userId}/roles/{role}": { path: (i) => `/api/v1/communities/xingfuli/members/${i.resident3Id}/roles/unitHead` },
  "POST /api/v1/communities/{slug}/members/{userId}/status": {
    path: (i) => `/api/v1/communities/xingfuli/members/${i.resident3Id}/status`,
    body: () => ({ active: true }),
  },
  "GET /api/v1/communities/{slug}/audit": { path: () => "/api/v1/communities/xingfuli/audit" },
  "GET /api/v1/sessions/{sessionId}/live": { path: (i) => `/api/v1/sessions/${i.sessionId}/live` },
  "GET /api/v1/sessions/{sessionId}/check-in-link": { path: (i) => `/api/v1/sessions/${i.sessionId}/check-in-link` },
  // Minutes (issue 12) of the demo session while it is still scheduled: no minutes yet. Unknown minutes, comments and objections: 404.
  "GET /api/v1/sessions/{sessionId}/minutes": { path: (i) => `/api/v1/sessions/${i.sessionId}/minutes` },
  "POST /api/v1/sessions/{sessionId}/minutes/submit": {
    path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/submit`,
    body: () => ({ reviewEndsAt: new Date(Date.now() + 86400_000).toISOString() }),
  },
  "POST /api/v1/sessions/{sessionId}/minutes/comments": {
    path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/comments`,
    body: () => ({ quote: "矩阵", body: "矩阵意见" }),
  },
  "POST /api/v1/sessions/{sessionId}/minutes/comments/{commentId}/resolve": {
    path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/comments/nosuchcomment/resolve`,
    body: () => ({}),
  },
  "POST /api/v1/sessions/{sessionId}/minutes/approve": { path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/approve` },
  "POST /api/v1/sessions/{sessionId}/minutes/publish": { path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/publish`, body: () => ({ noticeDays: 7 }) },
  "POST /api/v1/sessions/{sessionId}/minutes/correct": { path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/correct`, body: () => ({ reason: "矩阵更正" }) },
  "GET /api/v1/sessions/{sessionId}/minutes/draft.pdf": { path: (i) => `/api/v1/sessions/${i.sessionId}/minutes/draft.pdf` },
  "GET /api/v1/minutes/{minutesId}/versions": { path: () => "/api/v1/minutes/nosuchminutes/versions" },
  "GET /api/v1/minutes/{minutesId}/verify": { path: () => "/api/v1/minutes/nosuchminutes/verify" },
  "GET /api/v1/minutes/{minutesId}/files/{file}": { path: () => "/api/v1/minutes/nosuchminutes/files/minutes.pdf" },
  "GET /api/v1/communities/{slug}/notices": { path: () => "/api/v1/communities/xingfuli/notices" },
  "GET /api/v1/minutes/{minutesId}/objections": { path: () => "/api/v1/minutes/nosuchminutes/objections" },
  "POST /api/v1/minutes/{minutesId}/objections": { path: () => "/api/v1/minutes/nosuchminutes/objections", body: () => ({ body: "矩阵异议" }) },
  "POST /api/v1/objections/{objectionId}/answer": { path: () => "/api/v1/objections/nosuchobjection/answer", body: () => ({ answer: "矩阵答复" }) },
  "GET /api/v1/health": { path: () => "/api/v1/health" },
  "GET /api/v1/tokens": { path: () => "/api/v1/tokens" },
  "DELETE /api/v1/tokens/{id}": { path: () => "/api/v1/tokens/nosuchtoken" },
  "POST /api/v1/realtime/ticket": { path: () => "/api/v1/realtime/ticket", body: () => ({}) },
  // 联办任务, in the order of a task's life: the lead organisation works, staff decide extensions, verifiers verify.
  "GET /api/v1/communities/{slug}/dashboard": { path: () => "/api/v1/communities/xingfuli/dashboard?p=2026-Q4" },
  "GET /api/v1/communities/{slug}/scorecards": { path: () => "/api/v1/communities/xingfuli/scorecards" },
  // The demo has no street office: nobody finds this one.
  // Nobody in the demo oversees the whole deployment.
  "GET /api/v1/dashboard": { path: () => "/api/v1/dashboard" },
  "GET /api/v1/districts/{districtId}/dashboard": { path: () => "/api/v1/districts/no-such-district/dashboard" },
  "POST /api/v1/districts/{districtId}/scorecard-weights": {
    path: () => "/api/v1/districts/no-such-district/scorecard-weights",
    body: () => ({ onTime: 0.4, reopen: 0.1, rating: 0.4, response: 0.1 }),
  },
  "GET /api/v1/jobs": { path: () => "/api/v1/jobs" },
  "GET /api/v1/tasks": { path: () => "/api/v1/tasks" },
  "GET /api/v1/communities/{slug}/tasks": { path: () => "/api/v1/communities/xingfuli/tasks?status=open" },
  "GET /api/v1/communities/{slug}/tasks/export": { path: () => "/api/v1/communities/xingfuli/tasks/export" },
  "GET /api/v1/communities/{slug}/tasks/organizations": { path: () => "/api/v1/communities/xingfuli/tasks/organizations" },
  "GET /api/v1/communities/{slug}/task-settings": { path: () => "/api/v1/communities/xingfuli/task-settings" },
  "POST /api/v1/communities/{slug}/task-settings": {
    path: () => "/api/v1/communities/xingfuli/task-settings",
    body: () => ({ rule: "firstVerifier", days: 7, silence: "accepted", responseDeadlineHours: 48, satisfiedRatings: [4, 5] }),
  },
  "POST /api/v1/communities/{slug}/tasks": {
    path: () => "/api/v1/communities/xingfuli/tasks",
    body: (i, role) => ({ title: `矩阵任务 ${role}`, organizationId: i.propertyId, deadline: "2099-01-01T10:00" }),
  },
  "GET /api/v1/tasks/{taskId}": { path: (i) => `/api/v1/tasks/${i.taskId}` },
  "POST /api/v1/tasks/{taskId}/progress": { path: (i) => `/api/v1/tasks/${i.taskId}/progress`, body: () => ({ progress: 50, text: "矩阵进展" }) },
  "POST /api/v1/tasks/{taskId}/owner": { path: (i) => `/api/v1/tasks/${i.taskId}/owner`, body: (i) => ({ ownerId: i.wuyeId }) },
  // One request is pending already (made by wuye before the table): a second is refused.
  "POST /api/v1/tasks/{taskId}/extensions": {
    path: (i) => `/api/v1/tasks/${i.taskId}/extensions`,
    body: () => ({ deadline: "2099-06-01T10:00", reason: "矩阵延期" }),
  },
  "POST /api/v1/task-extensions/{extensionId}/decision": { path: (i) => `/api/v1/task-extensions/${i.extensionId}/decision`, body: () => ({ approve: true }) },
  "POST /api/v1/task-milestones/{milestoneId}/done": { path: (i) => `/api/v1/task-milestones/${i.milestoneId}/done` },
  "POST /api/v1/tasks/{taskId}/moves": { path: (i) => `/api/v1/tasks/${i.taskId}/moves`, body: () => ({ move: "submit" }) },
  "POST /api/v1/tasks/{taskId}/verifications": { path: (i) => `/api/v1/tasks/${i.taskId}/verifications`, body: () => ({ verdict: "confirm", rating: 5 }) },
  "POST /api/v1/live/task:fromResolution": {
    path: () => "/api/v1/live/task:fromResolution",
    body: (i) => ({ motionId: "nosuchmotion", organizationId: i.propertyId, deadline: "2099-01-01T10:00" }),
  },
  // Places, organisations and councils (issue 11); every change is made by staff first, so the secretary meets its outcome.
  "GET /api/v1/communities/{slug}/places": { path: () => "/api/v1/communities/xingfuli/places" },
  "POST /api/v1/communities/{slug}/places": {
    path: () => "/api/v1/communities/xingfuli/places",
    body: (_, role) => ({ kind: "grid", name: `矩阵网格 ${role}` }),
  },
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/rename": {
    path: (i) => `/api/v1/communities/xingfuli/places/grid/${i.gridId}/rename`,
    body: () => ({ name: "矩阵改名网格" }),
  },
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/move": {
    path: (i) => `/api/v1/communities/xingfuli/places/building/${i.buildingId}/move`,
    body: (i) => ({ parentId: i.gridId }),
  },
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/merge": {
    path: (i) => `/api/v1/communities/xingfuli/places/grid/${i.mergeGridId}/merge`,
    body: (i) => ({ intoId: i.gridId }),
  },
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/archive": { path: (i) => `/api/v1/communities/xingfuli/places/grid/${i.archiveGridId}/archive` },
  "POST /api/v1/communities/{slug}/members/{userId}/home": {
    path: (i) => `/api/v1/communities/xingfuli/members/${i.resident3Id}/home`,
    body: (i) => ({ placeId: i.buildingId }),
  },
  "GET /api/v1/communities/{slug}/organizations": { path: () => "/api/v1/communities/xingfuli/organizations" },
  "POST /api/v1/communities/{slug}/organizations": {
    path: () => "/api/v1/communities/xingfuli/organizations",
    body: (_, role) => ({ kind: "utility", name: `矩阵单位 ${role}` }),
  },
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/rename": {
    path: (i) => `/api/v1/communities/xingfuli/organizations/${i.orgId}/rename`,
    body: () => ({ name: "矩阵改名单位" }),
  },
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/archive": {
    path: (i) => `/api/v1/communities/xingfuli/organizations/${i.archiveOrgId}/archive`,
  },
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/members": {
    path: (i) => `/api/v1/communities/xingfuli/organizations/${i.orgId}/members`,
    body: (i) => ({ userId: i.resident3Id, actsForOrganization: true }),
  },
  "DELETE /api/v1/communities/{slug}/organizations/{organizationId}/members/{userId}": {
    path: (i) => `/api/v1/communities/xingfuli/organizations/${i.orgId}/members/${i.resident3Id}`,
  },
  "GET /api/v1/communities/{slug}/councils": { path: () => "/api/v1/communities/xingfuli/councils" },
  "GET /api/v1/district": { path: () => "/api/v1/district" },
  "POST /api/v1/district/communities": {
    path: () => "/api/v1/district/communities",
    body: (i, role) => ({ staffMode: "existing", communityName: "矩阵社区", slug: `matrix-${ROLES.indexOf(role)}`, staffIdentifier: "staff" }),
  },
  // Live actions on the demo session while it is still scheduled: the permission is checked before the session's rules.
  "POST /api/v1/live/hand:raise": { path: () => "/api/v1/live/hand:raise", body: (i) => ({ sessionId: i.sessionId }) },
  // Each role lowers its own hand (no userId): membership decides (issue 10: an outsider was answered 200).
  "POST /api/v1/live/hand:lower": { path: () => "/api/v1/live/hand:lower", body: (i) => ({ sessionId: i.sessionId }) },
  "POST /api/v1/live/floor:give": { path: () => "/api/v1/live/floor:give", body: (i) => ({ sessionId: i.sessionId, userId: i.grid1Id }) },
  "POST /api/v1/live/floor:take": { path: () => "/api/v1/live/floor:take", body: (i) => ({ sessionId: i.sessionId }) },
  "POST /api/v1/live/session:openItem": { path: () => "/api/v1/live/session:openItem", body: (i) => ({ sessionId: i.sessionId, itemId: i.itemId }) },
  "POST /api/v1/live/session:proxy": {
    path: () => "/api/v1/live/session:proxy",
    body: (i) => ({ sessionId: i.sessionId, grantorId: i.resident1Id, proxyId: i.grid1Id }),
  },
  "POST /api/v1/live/session:checkIn": { path: () => "/api/v1/live/session:checkIn", body: (i) => ({ sessionId: i.sessionId, userId: i.grid1Id }) },
  "POST /api/v1/live/session:checkInSelf": { path: () => "/api/v1/live/session:checkInSelf", body: (i) => ({ sessionId: i.sessionId }) },
  // allowed: false leaves the demo session as it was for the rows that follow.
  "POST /api/v1/live/session:selfCheckIn": { path: () => "/api/v1/live/session:selfCheckIn", body: (i) => ({ sessionId: i.sessionId, allowed: false }) },
  "POST /api/v1/live/motion:propose": {
    path: () => "/api/v1/live/motion:propose",
    body: (i) => ({
      sessionId: i.sessionId,
      agendaItemId: i.itemId,
      text: "矩阵动议",
      ballot: "open",
      passRule: "majorityCast",
      constituencies: [],
      hideResults: false,
    }),
  },
  // No such motion: everyone signed in gets 404 (a motion's rights need the motion).
  "POST /api/v1/live/motion:second": { path: () => "/api/v1/live/motion:second", body: () => ({ motionId: "nosuchmotion" }) },
  "POST /api/v1/live/motion:withdraw": { path: () => "/api/v1/live/motion:withdraw", body: () => ({ motionId: "nosuchmotion" }) },
  "POST /api/v1/live/vote:open": { path: () => "/api/v1/live/vote:open", body: () => ({ motionId: "nosuchmotion" }) },
  "POST /api/v1/live/vote:cast": {
    path: () => "/api/v1/live/vote:cast",
    body: () => ({ motionId: "nosuchmotion", clientBallotId: "matrix-ballot-0001", seq: 1, choice: "yes" }),
  },
  "POST /api/v1/live/vote:close": { path: () => "/api/v1/live/vote:close", body: () => ({ motionId: "nosuchmotion" }) },
  // Last: these change the session's status for every later call.
  "POST /api/v1/live/session:adjourn": { path: () => "/api/v1/live/session:adjourn", body: (i) => ({ sessionId: i.sessionId }) },
  "POST /api/v1/live/session:resume": { path: () => "/api/v1/live/session:resume", body: (i) => ({ sessionId: i.sessionId }) },
  "POST /api/v1/live/session:open": { path: () => "/api/v1/live/session:open", body: (i) => ({ sessionId: i.sessionId }) },
  "POST /api/v1/communities/{slug}/members/import/preview": {
    path: () => "/api/v1/communities/xingfuli/members/import/preview",
    body: (_, role) => ({
      rows: [
        ["姓名", "手机号", "楼栋"],
        [`矩阵${role}`, `1370000${String(ROLES.indexOf(role)).padStart(4, "0")}`, "1号楼"],
      ],
    }),
  },
  "POST /api/v1/communities/{slug}/members/import": {
    path: () => "/api/v1/communities/xingfuli/members/import",
    body: (_, role) => ({
      rows: [
        ["姓名", "手机号", "楼栋"],
        [`矩阵${role}`, `1370000${String(ROLES.indexOf(role)).padStart(4, "0")}`, "1号楼"],
      ],
    }),
  },
  "POST /api/v1/communities/{slug}/members/{userId}/activation-link": { path: (i) => `/api/v1/communities/xingfuli/members/${i.resident3Id}/activation-link` },
  "POST /api/v1/communities/{slug}/members/{userId}/password-reset": { path: (i) => `/api/v1/communities/xingfuli/members/${i.resident3Id}/password-reset` },
};

// prettier-ignore
const EXPECTED: Record<string, Row> = {
  ...VOLUNTEER_EXPECTED,
  //                                                       staff secr grid1 wuye yewh res1 res3 obsv outs anon
  "POST /api/v1/auth/token":                              [401, 401, 401, 401, 401, 401, 401, 401, 401, 401], // wrong password, for anyone
  "GET /api/v1/me":                                       [200, 200, 200, 200, 200, 200, 200, 200, 200, 401],
  "GET /api/v1/sessions/{sessionId}":                     [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/agenda-items/{itemId}":                    [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/invites":              [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/invites/{token}/accept":                  [200, 200, 200, 200, 200, 200, 200, 200, 200, 200], // the link is the credential
  "GET /api/v1/communities/{slug}/topics":                [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/topics":               [200, 200, 200, 200, 200, 200, 200, 403, 403, 401],
  "GET /api/v1/topics/{topicId}":                         [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/topics/{topicId}/co-sign":                [200, 200, 200, 200, 200, 200, 403, 403, 403, 401], // resident3 raised it
  "DELETE /api/v1/topics/{topicId}/co-sign":              [200, 200, 200, 200, 200, 200, 200, 200, 403, 401], // withdrawing nothing changes nothing
  "POST /api/v1/topics/{topicId}/moves":                  [200, 409, 403, 403, 403, 403, 403, 403, 403, 401], // staff accepted it first
  "GET /api/v1/communities/{slug}/triage":                [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/communities/{slug}/referrals":             [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/sessions":                                 [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/sessions":                                [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/sessions/{sessionId}/agenda":             [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "DELETE /api/v1/sessions/{sessionId}/agenda/{itemId}":  [200, 404, 403, 403, 403, 403, 403, 403, 403, 401], // staff removed it first
  "POST /api/v1/sessions/{sessionId}/agenda/order":       [400, 400, 403, 403, 403, 403, 403, 403, 403, 401], // the list is stale by then
  "POST /api/v1/sessions/{sessionId}/publish":            [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/sessions/{sessionId}/secretary":          [200, 200, 403, 403, 403, 403, 403, 403, 403, 401], // staff only (李敏 is staff too)
  "GET /api/v1/notifications":                            [200, 200, 200, 200, 200, 200, 200, 200, 200, 401],
  "POST /api/v1/notifications/read":                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 401],
  "GET /api/v1/communities/{slug}/settings":              [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/settings":             [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/councils/{councilId}/seats":              [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/councils/{councilId}/seats":              [200, 409, 403, 403, 403, 403, 403, 403, 403, 401], // staff seated resident3 first
  "DELETE /api/v1/councils/{councilId}/seats/{userId}":   [200, 404, 403, 403, 403, 403, 403, 403, 403, 401], // staff ended the term first
  "GET /api/v1/communities/{slug}/members":              [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/members/{userId}/roles": [200, 409, 403, 403, 403, 403, 403, 403, 403, 401], // staff granted it first
  "DELETE /api/v1/communities/{slug}/members/{userId}/roles/{role}": [200, 404, 403, 403, 403, 403, 403, 403, 403, 401], // staff revoked it first
  "POST /api/v1/communities/{slug}/members/{userId}/status": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/communities/{slug}/audit":                [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/sessions/{sessionId}/live":                [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/sessions/{sessionId}/check-in-link":       [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/sessions/{sessionId}/minutes":             [409, 409, 409, 409, 409, 409, 409, 409, 403, 401], // members: not started
  "POST /api/v1/sessions/{sessionId}/minutes/submit":      [403, 409, 403, 403, 403, 403, 403, 403, 403, 401], // the secretary: session not over
  "POST /api/v1/sessions/{sessionId}/minutes/comments":    [409, 409, 403, 403, 403, 403, 403, 403, 403, 401], // chair and secretary (no attendee yet): not in review
  "POST /api/v1/sessions/{sessionId}/minutes/comments/{commentId}/resolve": [403, 409, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/sessions/{sessionId}/minutes/approve":     [409, 403, 403, 403, 403, 403, 403, 403, 403, 401], // the session's chair only
  "POST /api/v1/sessions/{sessionId}/minutes/publish":     [403, 409, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/sessions/{sessionId}/minutes/correct":     [403, 409, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/sessions/{sessionId}/minutes/draft.pdf":    [404, 404, 403, 403, 403, 403, 403, 403, 403, 401], // staff: no minutes yet; others never before publication
  "GET /api/v1/minutes/{minutesId}/versions":              [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "GET /api/v1/minutes/{minutesId}/verify":                [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "GET /api/v1/minutes/{minutesId}/files/{file}":          [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "GET /api/v1/communities/{slug}/notices":                [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/minutes/{minutesId}/objections":            [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/minutes/{minutesId}/objections":           [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/objections/{objectionId}/answer":          [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "GET /api/v1/health":                                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
  "GET /api/v1/tokens":                                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 401], // one's own tokens
  "DELETE /api/v1/tokens/{id}":                           [404, 404, 404, 404, 404, 404, 404, 404, 404, 401], // only one's own, and this one is no one's
  "POST /api/v1/realtime/ticket":                         [200, 200, 200, 200, 200, 200, 200, 200, 200, 401],
  "GET /api/v1/communities/{slug}/dashboard":             [200, 200, 200, 200, 200, 200, 200, 200, 403, 401], // aggregate figures: every member
  "GET /api/v1/communities/{slug}/scorecards":            [200, 200, 200, 200, 200, 200, 403, 403, 403, 401], // staff, council, grid, companies; residents only if published
  "GET /api/v1/dashboard":                                [403, 403, 403, 403, 403, 403, 403, 403, 403, 401], // the deployment's overseers only
  "GET /api/v1/districts/{districtId}/dashboard":          [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/districts/{districtId}/scorecard-weights": [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "GET /api/v1/jobs":                                     [200, 200, 403, 403, 403, 403, 403, 403, 403, 401], // staff of any community
  "GET /api/v1/tasks":                                    [200, 200, 200, 200, 200, 200, 200, 200, 200, 401], // one's own lists
  "GET /api/v1/communities/{slug}/tasks":                 [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/communities/{slug}/tasks/export":          [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/communities/{slug}/tasks/organizations":   [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/communities/{slug}/task-settings":         [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/task-settings":        [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/tasks":                [200, 200, 403, 403, 403, 403, 403, 403, 403, 401], // staff assign tasks
  "GET /api/v1/tasks/{taskId}":                           [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/tasks/{taskId}/progress":                 [403, 403, 403, 200, 200, 403, 403, 403, 403, 401], // the lead (wuye), the co-handler on its share (yeweihui)
  "POST /api/v1/tasks/{taskId}/owner":                    [200, 200, 403, 200, 403, 403, 403, 403, 403, 401], // staff or the lead organisation
  "POST /api/v1/tasks/{taskId}/extensions":               [403, 403, 403, 409, 403, 403, 403, 403, 403, 401], // wuye's first request is still pending
  "POST /api/v1/task-extensions/{extensionId}/decision":  [200, 409, 403, 403, 403, 403, 403, 403, 403, 401], // staff decided it first
  "POST /api/v1/task-milestones/{milestoneId}/done":      [403, 403, 403, 200, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/tasks/{taskId}/moves":                    [403, 403, 403, 200, 403, 403, 403, 403, 403, 401], // only the lead organisation submits
  "POST /api/v1/tasks/{taskId}/verifications":            [200, 409, 409, 409, 409, 409, 409, 409, 403, 401], // seated staff verified first (firstVerifier closes it)
  "POST /api/v1/live/task:fromResolution":                [404, 404, 404, 404, 404, 404, 404, 404, 404, 401], // no such motion
  "GET /api/v1/communities/{slug}/places":                [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/places":               [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/rename": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401], // the same name again changes nothing
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/move": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/merge": [200, 409, 403, 403, 403, 403, 403, 403, 403, 401], // staff merged it first
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/archive": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401], // archiving twice changes nothing
  "POST /api/v1/communities/{slug}/members/{userId}/home": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "GET /api/v1/communities/{slug}/organizations":         [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "POST /api/v1/communities/{slug}/organizations":        [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/rename": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/archive": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/members": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "DELETE /api/v1/communities/{slug}/organizations/{organizationId}/members/{userId}": [200, 404, 403, 403, 403, 403, 403, 403, 403, 401], // staff removed them first
  "GET /api/v1/communities/{slug}/councils":              [200, 200, 200, 200, 200, 200, 200, 200, 403, 401],
  "GET /api/v1/district":                                 [403, 403, 403, 403, 403, 403, 403, 403, 403, 401], // no demo role is a street office's super-user
  "POST /api/v1/district/communities":                    [403, 403, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/live/hand:raise":                         [409, 409, 409, 409, 409, 409, 409, 409, 403, 401], // members: session not open yet
  "POST /api/v1/live/hand:lower":                         [200, 200, 200, 200, 200, 200, 200, 200, 403, 401], // one's own hand: members only
  "POST /api/v1/live/floor:give":                         [409, 409, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/live/floor:take":                         [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/live/session:openItem":                   [409, 409, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/live/session:proxy":                      [400, 400, 403, 403, 403, 403, 403, 403, 403, 401], // grid1 is no building head
  "POST /api/v1/live/session:checkIn":                    [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/live/session:checkInSelf":                [409, 409, 409, 409, 409, 409, 409, 409, 403, 401], // the chair has not allowed it
  "POST /api/v1/live/session:selfCheckIn":                [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/live/motion:propose":                     [409, 409, 409, 409, 409, 409, 403, 403, 403, 401], // seated (or chair), but not open
  "POST /api/v1/live/motion:second":                      [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/live/motion:withdraw":                    [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/live/vote:open":                          [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/live/vote:cast":                          [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/live/vote:close":                         [404, 404, 404, 404, 404, 404, 404, 404, 404, 401],
  "POST /api/v1/live/session:adjourn":                    [409, 409, 403, 403, 403, 403, 403, 403, 403, 401], // not open yet
  "POST /api/v1/live/session:resume":                     [409, 409, 403, 403, 403, 403, 403, 403, 403, 401], // not adjourned
  "POST /api/v1/live/session:open":                       [200, 409, 403, 403, 403, 403, 403, 403, 403, 401], // staff opened it first
  "POST /api/v1/communities/{slug}/members/import/preview": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/members/import":       [200, 200, 403, 403, 403, 403, 403, 403, 403, 401],
  "POST /api/v1/communities/{slug}/members/{userId}/activation-link": [409, 409, 403, 403, 403, 403, 403, 403, 403, 401], // resident3 has a password
  "POST /api/v1/communities/{slug}/members/{userId}/password-reset": [200, 200, 403, 403, 403, 403, 403, 403, 403, 401], // issuing only: resident3 stays signed in
};

/**
 * Operations decided by one rule of POLICY, with the resource it is asked about:
 * for these, a signed-in role gets 403 exactly when `can()` says no.
 */
const POLICY_RULES: Record<string, { action: string; resource: "community" | "session" | "agendaItem" | "topic" }> = {
  "GET /api/v1/sessions/{sessionId}": { action: "session:view", resource: "session" },
  "GET /api/v1/agenda-items/{itemId}": { action: "agendaItem:view", resource: "agendaItem" },
  "POST /api/v1/communities/{slug}/invites": { action: "community:invite", resource: "community" },
  "GET /api/v1/communities/{slug}/topics": { action: "community:view", resource: "community" },
  "POST /api/v1/communities/{slug}/topics": { action: "topic:raise", resource: "community" },
  "GET /api/v1/topics/{topicId}": { action: "topic:view", resource: "topic" },
  "GET /api/v1/communities/{slug}/triage": { action: "topic:triage", resource: "community" },
  "POST /api/v1/sessions/{sessionId}/agenda": { action: "session:editAgenda", resource: "session" },
  "POST /api/v1/sessions/{sessionId}/agenda/order": { action: "session:editAgenda", resource: "session" },
  "POST /api/v1/sessions/{sessionId}/publish": { action: "session:editAgenda", resource: "session" },
  "POST /api/v1/sessions/{sessionId}/secretary": { action: "session:assignSecretary", resource: "session" },
  "GET /api/v1/communities/{slug}/settings": { action: "community:view", resource: "community" },
  "POST /api/v1/communities/{slug}/settings": { action: "community:configure", resource: "community" },
  "GET /api/v1/councils/{councilId}/seats": { action: "community:view", resource: "community" },
  "POST /api/v1/councils/{councilId}/seats": { action: "council:seat", resource: "community" },
  "DELETE /api/v1/councils/{councilId}/seats/{userId}": { action: "council:seat", resource: "community" },
  "GET /api/v1/sessions": { action: "community:view", resource: "community" },
  "GET /api/v1/communities/{slug}/members": { action: "community:view", resource: "community" },
  "POST /api/v1/communities/{slug}/members/{userId}/roles": { action: "member:manage", resource: "community" },
  "DELETE /api/v1/communities/{slug}/members/{userId}/roles/{role}": { action: "member:manage", resource: "community" },
  "POST /api/v1/communities/{slug}/members/{userId}/status": { action: "member:manage", resource: "community" },
  "GET /api/v1/communities/{slug}/audit": { action: "audit:view", resource: "community" },
  "GET /api/v1/communities/{slug}/notices": { action: "community:view", resource: "community" },
  "GET /api/v1/communities/{slug}/places": { action: "community:view", resource: "community" },
  "POST /api/v1/communities/{slug}/places": { action: "place:manage", resource: "community" },
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/rename": { action: "place:manage", resource: "community" },
  "POST /api/v1/communities/{slug}/places/{kind}/{placeId}/archive": { action: "place:manage", resource: "community" },
  "POST /api/v1/communities/{slug}/members/{userId}/home": { action: "member:manage", resource: "community" },
  "GET /api/v1/communities/{slug}/organizations": { action: "community:view", resource: "community" },
  "POST /api/v1/communities/{slug}/organizations": { action: "organization:manage", resource: "community" },
  "POST /api/v1/communities/{slug}/organizations/{organizationId}/members": { action: "organization:manage", resource: "community" },
  "GET /api/v1/communities/{slug}/councils": { action: "community:view", resource: "community" },
  "GET /api/v1/sessions/{sessionId}/live": { action: "session:view", resource: "session" },
  "GET /api/v1/sessions/{sessionId}/check-in-link": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/hand:lower": { action: "session:attend", resource: "session" },
  "POST /api/v1/live/floor:give": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/floor:take": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/session:openItem": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/session:checkInSelf": { action: "session:attend", resource: "session" },
  "POST /api/v1/live/session:selfCheckIn": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/session:proxy": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/session:adjourn": { action: "session:chair", resource: "session" },
  "POST /api/v1/live/session:resume": { action: "session:resume", resource: "session" },
  "POST /api/v1/live/session:open": { action: "session:chair", resource: "session" },
  "POST /api/v1/communities/{slug}/members/import/preview": { action: "member:import", resource: "community" },
  "POST /api/v1/communities/{slug}/members/import": { action: "member:import", resource: "community" },
  "POST /api/v1/communities/{slug}/members/{userId}/activation-link": { action: "member:manage", resource: "community" },
  "POST /api/v1/communities/{slug}/members/{userId}/password-reset": { action: "member:resetPassword", resource: "community" },
};

let server: RunningServer;
let tokens: Partial<Record<Role, string>>;
let ids: Ids;
let operations: string[];

async function call(role: Role, op: string): Promise<number> {
  const spec = CALLS[op]!;
  const method = op.split(" ")[0]!;
  const body = spec.body?.(ids, role);
  const headers: Record<string, string> = {};
  if (role !== "anonymous") headers.Authorization = `Bearer ${tokens[role]}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${server.url}${spec.path(ids)}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  server = await startServer(freshDbFile("matrix"));
  tokens = {};
  for (const role of ROLES) if (role !== "anonymous") tokens[role] = await tokenFor(server, role);
  const as = async (role: Role, path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${tokens[role]}`, "Content-Type": "application/json", ...(init.headers ?? {}) },
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const home = await (await fetch(`${server.url}/`, { headers: { Authorization: `Bearer ${tokens.staff}` } })).text();
  const sessionId = home.match(/\/sessions\/([A-Za-z0-9_-]+)/)![1]!;
  // A topic raised by resident3 (so resident3 may not co-sign it), a spare agenda item to delete, an invite to accept.
  const own = (await as("resident3", "/api/v1/communities/xingfuli/topics", {
    method: "POST",
    body: JSON.stringify({ title: "矩阵：5号楼路灯不亮", category: "other" }),
  })) as { id: string };
  const spare = (await as("staff", `/api/v1/sessions/${sessionId}/agenda`, { method: "POST", body: JSON.stringify({ title: "矩阵：待删除的议程" }) })) as {
    agendaItemId: string;
  };
  const invite = (await as("staff", "/api/v1/communities/xingfuli/invites", { method: "POST", body: JSON.stringify({ role: "resident", maxUses: 500 }) })) as {
    token: string;
  };
  const session = (await as("staff", `/api/v1/sessions/${sessionId}`)) as { council: { id: string }; agendaItems: { id: string }[] };
  const topics = (await as("staff", "/api/v1/communities/xingfuli/topics")) as { items: { id: string }[] };
  const post = async (path: string, body: unknown) =>
    (await as("staff", `/api/v1/communities/xingfuli/${path}`, { method: "POST", body: JSON.stringify(body) })) as { id: string };
  const matrixPlaces = async () => {
    const gridId = (await post("places", { kind: "grid", name: "矩阵网格" })).id;
    return {
      gridId,
      buildingId: (await post("places", { kind: "building", name: "矩阵楼" })).id,
      mergeGridId: (await post("places", { kind: "grid", name: "矩阵待合并网格" })).id,
      archiveGridId: (await post("places", { kind: "grid", name: "矩阵待归档网格" })).id,
      orgId: (await post("organizations", { kind: "urbanManagement", name: "矩阵城管" })).id,
      archiveOrgId: (await post("organizations", { kind: "policeStation", name: "矩阵派出所" })).id,
    };
  };
  const me = async (role: Role) => ((await as(role, "/api/v1/me")) as { id: string }).id;
  const orgs = (await as("staff", "/api/v1/communities/xingfuli/tasks/organizations")) as { id: string; kind: string }[];
  const propertyId = orgs.find((o) => o.kind === "propertyCompany")!.id;
  const wuyeId = await me("wuye");
  const task = (await as("staff", "/api/v1/communities/xingfuli/tasks", {
    method: "POST",
    body: JSON.stringify({
      title: "矩阵：修好5号楼路灯",
      organizationId: propertyId,
      ownerId: wuyeId,
      deadline: "2099-01-01T10:00",
      topicId: own.id,
      coHandlers: [{ organizationId: orgs.find((o) => o.kind === "ownersCommittee")!.id, share: "张贴告示" }],
      milestones: [{ title: "采购灯具", dueAt: "2098-12-01T10:00" }],
    }),
  })) as { id: string };
  const extension = (await as("wuye", `/api/v1/tasks/${task.id}/extensions`, {
    method: "POST",
    body: JSON.stringify({ deadline: "2099-02-01T10:00", reason: "等待灯具到货" }),
  })) as { extensionId: string };
  const milestoneId = ((await as("staff", `/api/v1/tasks/${task.id}`)) as { milestones: { id: string }[] }).milestones[0]!.id;
  ids = {
    sessionId,
    itemId: session.agendaItems[0]!.id,
    spareItemId: spare.agendaItemId,
    topicId: topics.items.find((t) => t.id !== own.id)!.id,
    ownTopicId: own.id,
    councilId: session.council.id,
    grid1Id: await me("grid1"),
    resident1Id: await me("resident1"),
    resident3Id: await me("resident3"),
    secretaryId: await me("secretary"),
    inviteToken: invite.token,
    settings: null,
    itemIds: session.agendaItems.map((i) => i.id).concat(spare.agendaItemId),
    taskId: task.id,
    extensionId: extension.extensionId,
    milestoneId,
    propertyId,
    wuyeId,
    ...(await matrixPlaces()),
    ...(await volunteerMatrixIds(as)),
  };
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}, 60_000);
afterAll(() => server?.stop());

describe("authorisation matrix: every demo role × every API operation", () => {
  it("has exactly one row for each operation of the OpenAPI document", () => {
    expect(Object.keys(CALLS).sort()).toEqual([...operations].sort());
    if (!process.env.YISHI_MATRIX_RECORD) expect(Object.keys(EXPECTED).sort()).toEqual([...operations].sort());
  });

  it("answers each role exactly as the table says", { timeout: 120_000 }, async () => {
    const observed: Record<string, number[]> = {};
    for (const op of Object.keys(CALLS)) {
      observed[op] = [];
      for (const role of ROLES) observed[op]!.push(await call(role, op));
    }
    if (process.env.YISHI_MATRIX_RECORD) {
      console.log(
        Object.entries(observed)
          .map(([op, row]) => `  ${JSON.stringify(op)}: [${row.map((s) => String(s).padStart(3)).join(", ")}],`)
          .join("\n"),
      );
      return;
    }
    const wrong = Object.entries(observed).flatMap(([op, row]) =>
      row.flatMap((status, i) => (status === EXPECTED[op]![i] ? [] : [`${op} as ${ROLES[i]}: ${status}, expected ${EXPECTED[op]![i]}`])),
    );
    expect(wrong).toEqual([]);
    // Nothing answered with a 5xx, whatever the table says.
    expect(
      Object.values(observed)
        .flat()
        .filter((s) => s >= 500),
    ).toEqual([]);
  });

  it("refuses (403) exactly the signed-in roles that POLICY refuses, for operations decided by one rule", async () => {
    // The permission module reads the server's own database (SQLite allows a second reader).
    process.env.DATABASE_URL = databaseUrlOf(server.dbFile);
    const { can, loadActor, loadAgendaItemResource, loadSessionResource, loadTopicResource } = await import("~/utils/permissions.server");
    const { prisma } = await import("~/utils/db.server");
    const community = await prisma.community.findUniqueOrThrow({ where: { slug: "xingfuli" }, select: { id: true } });
    const resources = {
      community: { type: "community" as const, communityId: community.id },
      session: (await loadSessionResource(ids.sessionId))!,
      agendaItem: (await loadAgendaItemResource(ids.itemId))!,
      topic: (await loadTopicResource(ids.topicId))!,
    };
    const mismatches: string[] = [];
    for (const [op, rule] of Object.entries(POLICY_RULES)) {
      for (const [i, role] of ROLES.entries()) {
        if (role === "anonymous") continue;
        const user = await prisma.user.findUniqueOrThrow({ where: { username: role }, select: { id: true } });
        const allowed = can(await loadActor(user.id), rule.action as never, resources[rule.resource] as never);
        const refused = EXPECTED[op]![i] === 403;
        if (allowed === refused) mismatches.push(`${op} as ${role}: POLICY ${rule.action} says ${allowed ? "yes" : "no"}, the table ${EXPECTED[op]![i]}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
