// Every endpoint of /api/v1, declared once. Routes in app/routes/api.v1.* run
// them with `handle`; /api/v1/openapi.json is generated from this list.
import { z } from "zod";
import { endpoint } from "./api.server";
import { CONSTITUENCIES, ROLES } from "./domain";
import { idSchema, inviteAcceptSchema, inviteCreateSchema, tokenRequestSchema, tokenResponseSchema } from "./schemas";

const agendaItemSummary = z.object({
  id: z.string(),
  position: z.number().int(),
  title: z.string(),
  text: z.string().describe("Rendered plain text of the co-edited document, a moment behind the live text"),
  timeSlotMin: z.number().int().nullable(),
  topicId: z.string().nullable(),
});

export const api = {
  token: endpoint({
    method: "POST",
    path: "/api/v1/auth/token",
    summary: "Exchange a phone number or username and password for a bearer token (API, Socket.IO auth.token, Yjs ?token=)",
    tag: "auth",
    auth: false,
    body: tokenRequestSchema,
    response: tokenResponseSchema,
    errors: [401],
  }),
  me: endpoint({
    method: "GET",
    path: "/api/v1/me",
    summary: "The signed-in person, their roles and council seats",
    tag: "auth",
    auth: true,
    response: z.object({
      id: z.string(),
      username: z.string(),
      displayName: z.string(),
      locale: z.string(),
      memberships: z.array(z.object({ communityId: z.string(), communityName: z.string(), role: z.enum(ROLES) })),
      seats: z.array(z.object({ councilId: z.string(), councilName: z.string(), constituency: z.enum(CONSTITUENCIES) })),
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
    summary: "Create an invitation link that makes an account in the community with a role (community staff)",
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
    errors: [409, 410],
  }),
  health: endpoint({
    method: "GET",
    path: "/api/v1/health",
    summary: "Liveness, and what this process holds in memory (co-edited documents loaded, Yjs connections)",
    tag: "system",
    auth: false,
    response: z.object({ status: z.literal("ok"), documentsLoaded: z.number().int(), connections: z.number().int(), uptimeSeconds: z.number() }),
  }),
};
