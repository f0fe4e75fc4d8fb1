// Places, organisations, councils and the street office in /api/v1 (issue 11), declared once:
// the routes run them with `handle` and /api/v1/openapi.json lists them.
import { z } from "zod";
import { endpoint } from "~/utils/api.server";
import { CONSTITUENCIES, ORGANIZATION_KINDS, PLACE_KINDS, ROLES } from "~/utils/domain";
import {
  communityCreateSchema,
  homePlaceSchema,
  organizationCreateSchema,
  organizationMemberSchema,
  organizationRenameSchema,
  placeCreateSchema,
  placeMergeSchema,
  placeMoveSchema,
  placeParam,
  placeRenameSchema,
} from "~/utils/places-schemas";
import { idSchema } from "~/utils/schemas";

const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const orgParam = slugParam.extend({ organizationId: idSchema });
const date = z.string().describe("ISO 8601 date-time");

const node = { id: z.string(), name: z.string(), archived: z.boolean() };
const household = z.object({ ...node, members: z.number().int().describe("Active members whose home it is") });
const unit = z.object({ ...node, households: z.array(household) });
const building = z.object({ ...node, gridId: z.string().nullable(), units: z.array(unit) });
const placeTree = z.object({
  grids: z.array(z.object({ ...node, code: z.string(), buildings: z.array(building) })),
  ungridded: z.array(building).describe("Buildings no (active) grid holds"),
});
const placeRef = z.object({ id: z.string(), name: z.string() });
const moved = z.object({
  buildings: z.number().int(),
  units: z.number().int(),
  households: z.number().int(),
  members: z.number().int(),
  topics: z.number().int(),
  seats: z.number().int(),
});
const chain = z.object({ householdId: z.string().nullable(), unitId: z.string().nullable(), buildingId: z.string().nullable(), gridId: z.string().nullable() });

const organization = z.object({ id: z.string(), kind: z.enum(ORGANIZATION_KINDS), name: z.string(), archived: z.boolean() });
const organizationMember = z.object({ userId: z.string(), displayName: z.string(), role: z.enum(ROLES), actsForOrganization: z.boolean() });

const seatPlace = z
  .object({ kind: z.enum(["grid", "building"]), id: z.string(), name: z.string() })
  .nullable()
  .describe("The building or grid a resident seat speaks for");
export const seatTermWithPlace = z.object({
  id: z.string(),
  userId: z.string(),
  displayName: z.string(),
  constituency: z.enum(CONSTITUENCIES),
  place: seatPlace,
  from: date,
  to: date.nullable().describe("null while the term is current"),
});

const errors = [403, 404];

export const placesApi = {
  places: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/places",
    summary: "The community's places as a tree: grids (网格) → buildings (楼栋) → units (单元) → homes (户); ?archived=1 includes archived ones",
    tag: "places",
    auth: true,
    params: slugParam,
    query: z.object({ archived: z.enum(["0", "1"]).optional() }),
    response: placeTree,
    errors,
  }),
  createPlace: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/places",
    summary:
      "Create a grid, a building (optionally in a grid: parentId), a unit (parentId: its building) or a home (parentId: its unit). Community staff or the district super-user; audited",
    tag: "places",
    auth: true,
    params: slugParam,
    body: placeCreateSchema,
    response: z.object({ kind: z.enum(PLACE_KINDS), id: z.string(), name: z.string(), parent: placeRef.nullable() }),
    errors,
  }),
  renamePlace: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/places/{kind}/{placeId}/rename",
    summary: "Rename a place (staff); names are unique under their parent. Audited",
    tag: "places",
    auth: true,
    params: placeParam,
    body: placeRenameSchema,
    response: z.object({ kind: z.enum(PLACE_KINDS), id: z.string(), name: z.string() }),
    errors,
  }),
  movePlace: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/places/{kind}/{placeId}/move",
    summary: "Move a building to another grid (parentId) or to none (null); its members and topics follow. Buildings only. Audited",
    tag: "places",
    auth: true,
    params: placeParam,
    body: placeMoveSchema,
    response: z.object({ kind: z.literal("building"), id: z.string(), gridId: z.string().nullable() }),
    errors,
  }),
  mergePlace: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/places/{kind}/{placeId}/merge",
    summary:
      "Merge this place into another of the same kind (intoId): its buildings/units/homes, members, topics and seats move there (namesakes merge), then it is archived. All or nothing; audited with the counts",
    tag: "places",
    auth: true,
    params: placeParam,
    body: placeMergeSchema,
    response: z.object({ kind: z.enum(PLACE_KINDS), from: z.string(), into: z.string(), moved }),
    errors: [403, 404, 409],
  }),
  archivePlace: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/places/{kind}/{placeId}/archive",
    summary: "Archive a place and everything under it: gone from pickers, kept by the topics, members and seats that name it. Audited",
    tag: "places",
    auth: true,
    params: placeParam,
    response: z.object({ kind: z.enum(PLACE_KINDS), id: z.string(), archivedAt: date }),
    errors,
  }),
  homePlace: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/{userId}/home",
    summary:
      "Set where a member lives (a home, unit, building or grid id; null clears it): their unit, building and grid follow from it on every role but a grid worker's. Staff; audited",
    tag: "places",
    auth: true,
    params: slugParam.extend({ userId: idSchema }),
    body: homePlaceSchema,
    response: chain.extend({ userId: z.string() }),
    errors,
  }),
  organizations: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/organizations",
    summary:
      "The community's organisations (property company, owners' committee, community office, co-handling units) with their members and who acts for them",
    tag: "organizations",
    auth: true,
    params: slugParam,
    query: z.object({ archived: z.enum(["0", "1"]).optional() }),
    response: z.object({ organizations: z.array(organization.extend({ members: z.array(organizationMember) })) }),
    errors,
  }),
  createOrganization: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/organizations",
    summary: "Create an organisation (staff or the district super-user). Audited",
    tag: "organizations",
    auth: true,
    params: slugParam,
    body: organizationCreateSchema,
    response: organization,
    errors,
  }),
  renameOrganization: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/organizations/{organizationId}/rename",
    summary: "Rename an organisation (staff). Audited",
    tag: "organizations",
    auth: true,
    params: orgParam,
    body: organizationRenameSchema,
    response: organization,
    errors,
  }),
  archiveOrganization: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/organizations/{organizationId}/archive",
    summary: "Archive an organisation (staff): nobody acts for it any more; referred topics keep naming it. Audited",
    tag: "organizations",
    auth: true,
    params: orgParam,
    response: organization,
    errors,
  }),
  organizationMember: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/organizations/{organizationId}/members",
    summary:
      "Add a member of the community to the organisation, or change whether they act for it (actsForOrganization). The property company and owners' committee give their role. Staff; audited",
    tag: "organizations",
    auth: true,
    params: orgParam,
    body: organizationMemberSchema,
    response: z.object({ userId: z.string(), organization: z.string(), role: z.string(), actsForOrganization: z.boolean() }),
    errors: [403, 404, 409],
  }),
  removeOrganizationMember: endpoint({
    method: "DELETE",
    path: "/api/v1/communities/{slug}/organizations/{organizationId}/members/{userId}",
    summary: "Take a person out of the organisation (staff). Audited",
    tag: "organizations",
    auth: true,
    params: orgParam.extend({ userId: idSchema }),
    response: z.object({ userId: z.string(), removed: z.literal(true) }),
    errors,
  }),
  councils: endpoint({
    method: "GET",
    path: "/api/v1/communities/{slug}/councils",
    summary: "The community's councils with their current seats (constituency and, for resident seats, the building or grid); any member",
    tag: "councils",
    auth: true,
    params: slugParam,
    response: z.object({
      councils: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          quorumRatio: z.number(),
          quorumInclusive: z.boolean(),
          seats: z.array(seatTermWithPlace),
        }),
      ),
    }),
    errors,
  }),
  district: endpoint({
    method: "GET",
    path: "/api/v1/district",
    summary: "The street office's (街道) communities, for its super-user; 403 for anyone else",
    tag: "district",
    auth: true,
    response: z.object({
      district: z.object({ id: z.string(), name: z.string(), city: z.string() }),
      communities: z.array(
        z.object({
          id: z.string(),
          slug: z.string(),
          name: z.string(),
          district: z.string(),
          city: z.string(),
          createdAt: date,
          staff: z.array(z.object({ userId: z.string(), displayName: z.string() })),
          memberships: z.number().int(),
        }),
      ),
    }),
    errors: [403],
  }),
  createCommunity: endpoint({
    method: "POST",
    path: "/api/v1/district/communities",
    summary:
      "Create a community of the super-user's district (default categories and a council) with its first staff member: staffMode new (an account) or existing (staffIdentifier: a username or phone). Audited",
    tag: "district",
    auth: true,
    body: communityCreateSchema,
    response: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      council: z.object({ id: z.string(), name: z.string() }),
      staff: z.object({ userId: z.string(), displayName: z.string() }),
    }),
    errors: [403],
  }),
};
