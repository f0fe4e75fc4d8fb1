// Every permission in Yishi is decided here: role × action × resource. Pages,
// the JSON API, Socket.IO and the Yjs endpoint all ask `can` / `requirePermission`;
// hiding a button in the UI is only a courtesy on top of this.
import type { Constituency, Role } from "./domain";
import { isClosed, parseDocumentName } from "./domain";
import { getUserId, requireUserId } from "./auth.server";
import { prisma } from "./db.server";
import { Refusal } from "./errors";

export type Actor = {
  userId: string;
  /** The name others see (presence, rolls); loaded with the rest so realtime auth is one query. */
  displayName: string;
  /** actsForOrganization: staff let this person act for organizationId (answer its referrals); absent counts as yes. */
  memberships: { communityId: string; role: Role; organizationId: string | null; actsForOrganization?: boolean }[];
  seats: { councilId: string; constituency: Constituency }[];
  /**
   * A street-office super-user (User.districtId): their district, and the communities linked to
   * it, which they oversee as that community's staff would (docs/decisions/0009-district-super-user.md).
   * Absent for everyone else.
   */
  district?: { id: string; communityIds: string[] } | null;
  /** Oversees the whole deployment's figures (User.overseesDeployment): every street office's dashboard, read-only. */
  overseesDeployment?: boolean;
};

/** Memberships that give rights: staff can deactivate a person in a community without deleting anything (app/models/member.server.ts). */
export const ACTIVE_MEMBERSHIP = { deactivatedAt: null };

export type CommunityResource = { type: "community"; communityId: string };
export type SessionResource = { type: "session"; communityId: string; councilId: string; sessionId: string; status: string; chairId: string | null };
export type AgendaItemResource = Omit<SessionResource, "type"> & { type: "agendaItem"; itemId: string };
/** A session's minutes; attendeeIds are the people checked in at the session (who may comment in review). */
export type MinutesResource = {
  type: "minutes";
  communityId: string;
  councilId: string;
  sessionId: string;
  sessionStatus: string;
  chairId: string | null;
  secretaryId: string | null;
  state: string;
  attendeeIds: string[];
};
export type DistrictResource = { type: "district"; districtId: string };
/** A community's dashboard figures and scorecards: its councils (seated members are the council) and its setting for residents. */
export type DashboardResource = {
  type: "dashboard";
  communityId: string;
  councilIds: string[];
  residentsSeeScorecards: boolean;
  /** The headline rates and notices are public at /p/<slug> (dashboard.server.ts publicView). */
  publicHeadline: boolean;
};
/** A street office (街道) and its super-users (places: User.districtId). */
/** The whole site (the scheduled jobs' log): its street offices' super-users. */
export type DeploymentResource = { type: "deployment"; superUserIds: string[] };
export type TopicResource = { type: "topic"; topicId: string; communityId: string; raisedById: string; referredOrgId: string | null; status: string };
/** A joint-handling task (联办任务): its lead organisation, owner, co-handlers and who may verify it. */
export type TaskResource = {
  type: "task";
  taskId: string;
  communityId: string;
  organizationId: string;
  ownerId: string | null;
  coHandlerOrgIds: string[];
  status: string;
  /** The topic's raiser and co-signers (they verify with the community's seated council members). */
  verifierIds: string[];
  /** The community's councils: a current seat on one of them entitles its holder to verify. */
  councilIds: string[];
};

/** A volunteer team (志愿服务队) and its leaders; serviceUserId is whose service is being confirmed (issue 18). */
export type VolunteerResource = { type: "volunteer"; communityId: string; leaderIds: string[]; serviceUserId?: string };
/** A partner merchant (合作商家): an organisation of kind "merchant" whose members are its staff. */
export type MerchantResource = { type: "merchant"; communityId: string; organizationId: string };

type Resources = {
  "community:view": CommunityResource;
  "community:invite": CommunityResource;
  "community:configure": CommunityResource;
  "council:seat": CommunityResource;
  "member:manage": CommunityResource;
  "member:import": CommunityResource;
  "member:resetPassword": CommunityResource;
  "audit:view": CommunityResource;
  "place:manage": CommunityResource;
  "organization:manage": CommunityResource;
  "district:manage": DistrictResource;
  "topic:raise": CommunityResource;
  "topic:raiseOnBehalf": CommunityResource;
  "topic:triage": CommunityResource;
  "session:schedule": CommunityResource;
  "topic:view": TopicResource;
  "topic:coSign": TopicResource;
  "topic:orgAnswer": TopicResource;
  "session:editAgenda": SessionResource;
  "session:assignSecretary": SessionResource;
  "session:chair": SessionResource;
  "session:resume": SessionResource;
  "session:screen": SessionResource;
  "session:attend": SessionResource;
  "motion:propose": SessionResource;
  "vote:cast": SessionResource;
  "session:view": SessionResource;
  "agendaItem:view": AgendaItemResource;
  "agendaItem:edit": AgendaItemResource;
  "minutes:view": MinutesResource;
  "minutes:edit": MinutesResource;
  "minutes:submit": MinutesResource;
  "minutes:comment": MinutesResource;
  "minutes:resolve": MinutesResource;
  "minutes:approve": MinutesResource;
  "minutes:publish": MinutesResource;
  "minutes:correct": MinutesResource;
  "minutes:downloadDraft": MinutesResource;
  "notice:object": CommunityResource;
  "notice:answer": CommunityResource;
  "dashboard:view": DashboardResource;
  "dashboard:configure": DashboardResource;
  "scorecard:view": DashboardResource;
  "district:dashboard": DistrictResource;
  "district:configureScorecard": DistrictResource;
  "jobs:view": DeploymentResource;
  "deployment:dashboard": DeploymentResource;
  "task:create": CommunityResource;
  "task:createFromResolution": SessionResource;
  "task:view": TaskResource;
  "task:work": TaskResource;
  "task:workShare": TaskResource;
  "task:decideExtension": TaskResource;
  "task:verify": TaskResource;
  "volunteer:view": CommunityResource;
  "volunteer:signUp": CommunityResource;
  "volunteer:manage": CommunityResource;
  "volunteer:lead": VolunteerResource;
  "volunteer:confirm": VolunteerResource;
  "volunteer:changeActivity": VolunteerResource;
  "merchant:redeem": MerchantResource;
  "merchant:manage": MerchantResource;
};
export type Action = keyof Resources;

/** Roles that run a community's councils: they may edit any agenda item of it. */
const STAFF_ROLES: readonly Role[] = ["communityStaff", "chair", "secretary"];
/** Agenda text is editable until the session is over; afterwards it is the record. */
const EDITABLE_SESSION_STATUSES = ["scheduled", "open"];

/** Roles that raise topics for residents who cannot (代提): grid workers, building and unit heads. */
const RELAY_ROLES: readonly Role[] = ["gridWorker", "buildingHead", "unitHead", "communityStaff"];

const hasRole = (actor: Actor, communityId: string, roles: readonly Role[]) =>
  actor.memberships.some((m) => m.communityId === communityId && roles.includes(m.role));
const isMember = (actor: Actor, communityId: string) => actor.memberships.some((m) => m.communityId === communityId);
/** The street office's super-user over one of its communities: they set it up and may act as its staff. */
const oversees = (actor: Actor, communityId: string) => actor.district?.communityIds.includes(communityId) ?? false;
/** The community's own staff, or the super-user of its district. */
const staffOrOverseer = (actor: Actor, communityId: string) => hasRole(actor, communityId, ["communityStaff"]) || oversees(actor, communityId);
const isSeated = (actor: Actor, councilId: string) => actor.seats.some((s) => s.councilId === councilId);
const inOrganization = (actor: Actor, communityId: string, organizationId: string) =>
  actor.memberships.some((m) => m.communityId === communityId && m.organizationId === organizationId);

/** The session's secretary: the one named on the session, else whoever holds the secretary role in the community. */
const isMinutesSecretary = (a: Actor, r: MinutesResource) => (r.secretaryId ? r.secretaryId === a.userId : hasRole(a, r.communityId, ["secretary"]));
/** Who approves the minutes: the session's chair; only a session without one falls back to the community's chairs (主持人). */
const isMinutesChair = (a: Actor, r: MinutesResource) => (r.chairId ? r.chairId === a.userId : hasRole(a, r.communityId, ["chair"]));
/** The minutes are written while the session runs and after it, until approved: then they are the record. */
const MINUTES_WRITABLE_STATES = ["draft", "inReview"];

const POLICY: { [A in Action]: (actor: Actor, resource: Resources[A]) => boolean } = {
  "community:view": (a, r) => isMember(a, r.communityId) || oversees(a, r.communityId),
  "community:invite": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  "community:configure": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  // Seating and unseating decides who votes: the community's staff only (issue 11).
  "council:seat": (a, r) => staffOrOverseer(a, r.communityId),
  // Granting and revoking roles, deactivating a member: staff only; the model keeps at least one staff member.
  "member:manage": (a, r) => staffOrOverseer(a, r.communityId),
  // A roster import makes accounts and grants roles in bulk: the community's staff (or the street office that oversees it).
  "member:import": (a, r) => staffOrOverseer(a, r.communityId),
  // A password reset link takes over an account: the staff of a community the member belongs to, or its street office
  // (the model also refuses a member who belongs to a community the actor may not manage).
  "member:resetPassword": (a, r) => staffOrOverseer(a, r.communityId),
  // The audit log names who changed what: the community's staff read it.
  "audit:view": (a, r) => staffOrOverseer(a, r.communityId),
  // Grids, buildings, units and homes; organisations and who acts for them: staff, or the street office.
  "place:manage": (a, r) => staffOrOverseer(a, r.communityId),
  "organization:manage": (a, r) => staffOrOverseer(a, r.communityId),
  // Creating communities and their first staff: the district's own super-users only.
  "district:manage": (a, r) => a.district?.id === r.districtId,
  // Anyone in the community may raise a topic, except observers, who only watch.
  "topic:raise": (a, r) => a.memberships.some((m) => m.communityId === r.communityId && m.role !== "observer"),
  "topic:raiseOnBehalf": (a, r) => hasRole(a, r.communityId, RELAY_ROLES),
  "topic:triage": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  "session:schedule": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  "topic:view": (a, r) => isMember(a, r.communityId),
  // 附议 shows a topic matters to others: not to oneself, not by observers, not once it is closed.
  "topic:coSign": (a, r) =>
    r.raisedById !== a.userId && !isClosed(r.status) && a.memberships.some((m) => m.communityId === r.communityId && m.role !== "observer"),
  // The organisation a topic was referred to answers it through its own representatives.
  "topic:orgAnswer": (a, r) =>
    r.referredOrgId !== null &&
    a.memberships.some((m) => m.communityId === r.communityId && m.organizationId === r.referredOrgId && m.actsForOrganization !== false),
  "session:editAgenda": (a, r) => hasRole(a, r.communityId, STAFF_ROLES),
  // Who writes the minutes is decided by whoever schedules sessions: the community's staff.
  "session:assignSecretary": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  // The session's own chair, or whoever chairs for the community (staff, 主持人).
  "session:chair": (a, r) => r.chairId === a.userId || hasRole(a, r.communityId, ["communityStaff", "chair"]),
  // Taking back an adjournment (within RESUME_WINDOW_MS, a rule of the model) is the chair's, like adjourning.
  "session:resume": (a, r) => r.chairId === a.userId || hasRole(a, r.communityId, ["communityStaff", "chair"]),
  // The meeting room's projector shows what the live page shows everyone; whoever runs the laptop is of the
  // community (staff, the chair, the secretary, or a member lending theirs), so any member may open it.
  "session:screen": (a, r) => isMember(a, r.communityId),
  // Anyone of the community may check in: seated members as members, everyone else as observers (列席).
  "session:attend": (a, r) => isMember(a, r.communityId),
  // Only seated members put motions, second them and vote (being checked in is the session's rule, in the model).
  "motion:propose": (a, r) => isSeated(a, r.councilId),
  "vote:cast": (a, r) => isSeated(a, r.councilId),
  // Deliberation is public to the community: any member may follow a session (observers included).
  "session:view": (a, r) => isMember(a, r.communityId),
  "agendaItem:view": (a, r) => isMember(a, r.communityId),
  // Seated members and the staff who run the council co-edit; observers and other residents only watch.
  "agendaItem:edit": (a, r) => EDITABLE_SESSION_STATUSES.includes(r.status) && (isSeated(a, r.councilId) || hasRole(a, r.communityId, STAFF_ROLES)),
  // Minutes (issue 12). The community reads them live; only the secretary writes, and nobody once approved.
  "minutes:view": (a, r) => isMember(a, r.communityId),
  "minutes:edit": (a, r) => isMinutesSecretary(a, r) && MINUTES_WRITABLE_STATES.includes(r.state) && ["open", "adjourned"].includes(r.sessionStatus),
  "minutes:submit": (a, r) => isMinutesSecretary(a, r),
  // Review is for the people who were there: attendees, and the secretary and chair.
  "minutes:comment": (a, r) => r.attendeeIds.includes(a.userId) || isMinutesSecretary(a, r) || isMinutesChair(a, r),
  "minutes:resolve": (a, r) => isMinutesSecretary(a, r),
  "minutes:approve": (a, r) => isMinutesChair(a, r),
  "minutes:publish": (a, r) => isMinutesSecretary(a, r),
  "minutes:correct": (a, r) => isMinutesSecretary(a, r),
  // Before publication a file of the minutes is a draft: for the staff who run the council only.
  "minutes:downloadDraft": (a, r) => isMinutesSecretary(a, r) || hasRole(a, r.communityId, STAFF_ROLES),
  // 异议 on a public notice: any member but observers; staff must answer each.
  "notice:object": (a, r) => a.memberships.some((m) => m.communityId === r.communityId && m.role !== "observer"),
  "notice:answer": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  // 看板: aggregate figures without names, for everyone of the community (observers too).
  "dashboard:view": (a, r) => isMember(a, r.communityId),
  "dashboard:configure": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  // 物业考评: staff, the council (seated members, the owners' committee), grid workers and the
  // property companies themselves; residents only when the community publishes it.
  "scorecard:view": (a, r) =>
    r.residentsSeeScorecards
      ? isMember(a, r.communityId)
      : hasRole(a, r.communityId, [...STAFF_ROLES, "gridWorker", "ownersCommittee", "propertyCompany"]) || r.councilIds.some((id) => isSeated(a, id)),
  // A street office's super-users see all its communities' figures and set its star formula's weights.
  "district:dashboard": (a, r) => a.district?.id === r.districtId,
  "district:configureScorecard": (a, r) => a.district?.id === r.districtId,
  // The jobs' log names no one and no community: staff of any community and super-users read it.
  "jobs:view": (a, r) => r.superUserIds.includes(a.userId) || a.memberships.some((m) => m.role === "communityStaff"),
  // The whole deployment's figures (every street office and community, aggregate, no names): its overseers only.
  "deployment:dashboard": (a) => a.overseesDeployment === true,
  // 联办任务 are assigned by the community's staff; from a resolution, also by whoever chairs the session.
  "task:create": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  "task:createFromResolution": (a, r) => r.chairId === a.userId || hasRole(a, r.communityId, ["communityStaff", "chair"]),
  "task:view": (a, r) => isMember(a, r.communityId),
  // The lead organisation works on its own tasks only (its owner, or any of its active members); another organisation never.
  "task:work": (a, r) => isMember(a, r.communityId) && (r.ownerId === a.userId || inOrganization(a, r.communityId, r.organizationId)),
  // A co-handling organisation posts progress on its own share only.
  "task:workShare": (a, r) => r.coHandlerOrgIds.some((orgId) => inOrganization(a, r.communityId, orgId)),
  "task:decideExtension": (a, r) => hasRole(a, r.communityId, ["communityStaff"]),
  // The residents who raised and co-signed the topic, and the council's seated members, verify; the lead organisation never its own work.
  "task:verify": (a, r) =>
    isMember(a, r.communityId) &&
    !inOrganization(a, r.communityId, r.organizationId) &&
    (r.verifierIds.includes(a.userId) || a.seats.some((s) => r.councilIds.includes(s.councilId))),
  // 志愿服务积分 (issue 18). Activities and one's own points are for the whole community; observers only watch.
  "volunteer:view": (a, r) => isMember(a, r.communityId) || oversees(a, r.communityId),
  "volunteer:signUp": (a, r) => a.memberships.some((m) => m.communityId === r.communityId && m.role !== "observer"),
  // Teams, rules, corrections and the figures per grid: the community's staff.
  "volunteer:manage": (a, r) => staffOrOverseer(a, r.communityId),
  // A team's leaders post its activities and check people in; staff may stand in.
  "volunteer:lead": (a, r) => isMember(a, r.communityId) && (r.leaderIds.includes(a.userId) || staffOrOverseer(a, r.communityId)),
  // Confirming service issues points: a leader or staff, and never for one's own service.
  "volunteer:confirm": (a, r) =>
    isMember(a, r.communityId) && r.serviceUserId !== a.userId && (r.leaderIds.includes(a.userId) || staffOrOverseer(a, r.communityId)),
  // Cancelling or editing a posted activity: its team's leaders, or the community's staff (issue 18).
  "volunteer:changeActivity": (a, r) => isMember(a, r.communityId) && (r.leaderIds.includes(a.userId) || hasRole(a, r.communityId, ["communityStaff"])),
  // A merchant's own staff take points for its offers; nobody else (not even the community's staff) redeems for it.
  "merchant:redeem": (a, r) => inOrganization(a, r.communityId, r.organizationId),
  "merchant:manage": (a, r) => inOrganization(a, r.communityId, r.organizationId) || staffOrOverseer(a, r.communityId),
};

export function can<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): boolean {
  if (!actor) return false;
  return POLICY[action](actor, resource);
}

export class PermissionDenied extends Refusal {
  constructor(readonly action: Action) {
    super(403, "errors.forbidden", {}, undefined, `not allowed: ${action}`);
  }
}
export class NotFound extends Refusal {
  constructor(readonly what: string) {
    super(404, "errors.notFound", {}, undefined, `${what} not found`);
  }
}

export function requirePermission<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): void {
  if (!can(actor, action, resource)) throw new PermissionDenied(action);
}

export async function loadActor(userId: string): Promise<Actor | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      displayName: true,
      memberships: { where: ACTIVE_MEMBERSHIP, select: { communityId: true, role: true, organizationId: true, actsForOrganization: true } },
      // Only current terms (CURRENT_SEAT in app/models/seat-terms.ts): an ended seat gives no right (a past session's roll reads the history instead).
      seats: { where: { current: true }, select: { councilId: true, constituency: true } },
      district: { select: { id: true, communities: { select: { id: true } } } },
      overseesDeployment: true,
    },
  });
  if (!user) return null;
  return {
    userId: user.id,
    displayName: user.displayName,
    memberships: user.memberships.map((m) => ({ ...m, role: m.role as Role })),
    seats: user.seats.map((s) => ({ ...s, constituency: s.constituency as Constituency })),
    district: user.district ? { id: user.district.id, communityIds: user.district.communities.map((c) => c.id) } : null,
    ...(user.overseesDeployment ? { overseesDeployment: true } : {}),
  };
}

export async function loadSessionResource(sessionId: string): Promise<SessionResource | null> {
  const s = await prisma.councilSession.findUnique({
    where: { id: sessionId },
    select: { id: true, status: true, councilId: true, chairId: true, council: { select: { communityId: true } } },
  });
  if (!s) return null;
  return { type: "session", sessionId: s.id, status: s.status, councilId: s.councilId, communityId: s.council.communityId, chairId: s.chairId };
}

export async function loadAgendaItemResource(itemId: string): Promise<AgendaItemResource | null> {
  const item = await prisma.agendaItem.findUnique({
    where: { id: itemId },
    select: { id: true, session: { select: { id: true, status: true, councilId: true, chairId: true, council: { select: { communityId: true } } } } },
  });
  if (!item) return null;
  const s = item.session;
  return {
    type: "agendaItem",
    itemId: item.id,
    sessionId: s.id,
    status: s.status,
    councilId: s.councilId,
    communityId: s.council.communityId,
    chairId: s.chairId,
  };
}

/** The community named in a URL, or NotFound: every page and endpoint under /c/:slug or /communities/{slug} asks here. */
export async function communityBySlug(slug: string) {
  const community = await prisma.community.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, coSignThreshold: true } });
  if (!community) throw new NotFound("community");
  return community;
}

export async function loadTopicResource(topicId: string): Promise<TopicResource | null> {
  const t = await prisma.topic.findUnique({
    where: { id: topicId },
    select: { id: true, communityId: true, raisedById: true, referredOrgId: true, status: true },
  });
  return t ? { type: "topic", topicId: t.id, communityId: t.communityId, raisedById: t.raisedById, referredOrgId: t.referredOrgId, status: t.status } : null;
}

export async function loadMinutesResource(sessionId: string): Promise<MinutesResource | null> {
  const s = await prisma.councilSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      status: true,
      councilId: true,
      chairId: true,
      secretaryId: true,
      council: { select: { communityId: true } },
      minutes: { select: { state: true } },
      attendance: { select: { userId: true } },
    },
  });
  if (!s) return null;
  return {
    type: "minutes",
    communityId: s.council.communityId,
    councilId: s.councilId,
    sessionId: s.id,
    sessionStatus: s.status,
    chairId: s.chairId,
    secretaryId: s.secretaryId,
    state: s.minutes?.state ?? "draft",
    attendeeIds: s.attendance.map((a) => a.userId),
  };
}

export async function loadTaskResource(taskId: string): Promise<TaskResource | null> {
  const t = await prisma.task.findUnique({
    where: { id: taskId },
    select: {
      id: true,
      communityId: true,
      organizationId: true,
      ownerId: true,
      status: true,
      coHandlers: { select: { organizationId: true } },
      topic: { select: { raisedById: true, coSigns: { select: { userId: true } } } },
      community: { select: { councils: { select: { id: true } } } },
    },
  });
  if (!t) return null;
  return {
    type: "task",
    taskId: t.id,
    communityId: t.communityId,
    organizationId: t.organizationId,
    ownerId: t.ownerId,
    status: t.status,
    coHandlerOrgIds: t.coHandlers.map((c) => c.organizationId),
    verifierIds: t.topic ? [t.topic.raisedById, ...t.topic.coSigns.map((c) => c.userId)] : [],
    councilIds: t.community.councils.map((c) => c.id),
  };
}

export type DocumentAccess = "write" | "read" | "none" | "missing";
export type DocumentResource = AgendaItemResource | MinutesResource;

/** The resource behind a document name (null when there is none), for the upgrade and the rights re-check alike. */
export async function loadDocumentResource(docName: string): Promise<DocumentResource | null> {
  const doc = parseDocumentName(docName);
  if (!doc) return null;
  switch (doc.kind) {
    case "agenda-item":
      return loadAgendaItemResource(doc.id);
    case "minutes":
      return loadMinutesResource(doc.id);
  }
}

/** What an actor may do with a loaded document resource. */
export function accessTo(actor: Actor | null, resource: DocumentResource | null): DocumentAccess {
  if (!resource) return "missing";
  if (resource.type === "agendaItem") return agendaItemAccess(actor, resource);
  // A session not yet open has no minutes to show.
  if (resource.sessionStatus === "scheduled") return "missing";
  if (can(actor, "minutes:edit", resource)) return "write";
  if (can(actor, "minutes:view", resource)) return "read";
  return "none";
}

/**
 * What a user may do with a co-edited document, decided before a byte of it is sent.
 * "none" and "missing" both refuse; they differ only so the answer can say 403 or 404.
 */
export async function documentAccess(actor: Actor | null, docName: string): Promise<DocumentAccess> {
  return accessTo(actor, await loadDocumentResource(docName));
}

/** What an actor may do with an agenda item's document (the item already loaded: a rights re-check loads it once for many). */
export function agendaItemAccess(actor: Actor | null, item: AgendaItemResource | null): DocumentAccess {
  if (!item) return "missing";
  if (can(actor, "agendaItem:edit", item)) return "write";
  if (can(actor, "agendaItem:view", item)) return "read";
  return "none";
}

/** For pages and the API: the signed-in actor, or a redirect to sign in (pages) / 401 (API). */
export async function requireActor(request: Request, { api = false } = {}): Promise<Actor> {
  const userId = api ? await getUserId(request) : await requireUserId(request);
  const actor = userId ? await loadActor(userId) : null;
  if (!actor) throw new Response(JSON.stringify({ status: 401, key: "errors.unauthorized" }), { status: 401, headers: { "Content-Type": "application/json" } });
  return actor;
}
