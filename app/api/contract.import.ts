// The roster import and activation links under /api/v1 (issue 11, point 4).
import { z } from "zod";
import { endpoint } from "~/utils/api.server";
import { ROSTER_LIMITS } from "~/utils/roster-schemas";
import { idSchema } from "~/utils/schemas";
import { activationLinkResponse, rosterImportResponse, rosterImportSchema, rosterPreviewResponse, rosterPreviewSchema } from "~/utils/roster-schemas";

const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,64}$/) });
/** A roster file, or its rows as JSON, within the roster's limits. */
const upload = { maxFileBytes: ROSTER_LIMITS.maxBytes, jsonBytes: ROSTER_LIMITS.maxBytes * 2 };

export const importApi = {
  rosterPreview: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/import/preview",
    summary:
      "Check a resident roster before importing it (community staff): multipart `file` (CSV in UTF-8 or GBK, or .xlsx; at most 5 MB and 10 000 rows) or JSON { rows } with the header row first. Columns 姓名 name, 手机号 phone, 楼栋 building, 单元 unit, 房号 household, 角色 role, 网格 grid. Nothing is written but the file, kept for the import",
    tag: "members",
    auth: true,
    params: slugParam,
    body: rosterPreviewSchema,
    multipart: true,
    upload,
    response: rosterPreviewResponse,
    errors: [403, 404, 413, 415],
  }),
  rosterImport: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/import",
    summary:
      "Import a resident roster, all or nothing (community staff): the `uploadId` of a preview, the file again (multipart `file`) or JSON { rows }. Checked again first: 422 if any row has an error. New people get an account without a password (see activation links)",
    tag: "members",
    auth: true,
    params: slugParam,
    body: rosterImportSchema,
    multipart: true,
    upload,
    response: rosterImportResponse,
    errors: [403, 404, 413, 415, 422],
  }),
  activationLink: endpoint({
    method: "POST",
    path: "/api/v1/communities/{slug}/members/{userId}/activation-link",
    summary:
      "A one-time link (and its QR code) with which a member whose account has no password yet (a roster import) sets it and signs in; valid 14 days, replaces their earlier unused links (community staff)",
    tag: "members",
    auth: true,
    params: slugParam.extend({ userId: idSchema }),
    response: activationLinkResponse,
    errors: [403, 404, 409],
  }),
};
