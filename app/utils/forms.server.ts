// What the pages (not the JSON API) share on the server: find a community by
// its slug for the signed-in person, and turn a refused input into something
// the form can show next to the field, translated on screen.
import { MaxPartSizeExceededError } from "@remix-run/node";
import type { z } from "zod";
import { IllegalMove } from "~/models/topic-states";
import { prisma } from "./db.server";
import { InputRejected } from "./errors";
import { orHttpError } from "./http.server";
import { NotFound, requireActor, requirePermission, type Action, type Actor } from "./permissions.server";
import { MAX_PHOTO_BYTES, UploadRejected } from "./uploads.server";

/** An i18n key and its values: the screen translates it in the page's language. */
export type Problem = { key: string; values?: Record<string, string | number> };
export type Problems = Record<string, Problem>;

const KEY = /^errors\.[A-Za-z]+$/;

/** zod issues as { field: problem }, first issue per field; a message that is not one of ours reads "check this field". */
export function zodProblems(error: z.ZodError): Problems {
  const out: Problems = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_form";
    out[field] ??= { key: KEY.test(issue.message) ? issue.message : "errors.invalidInput" };
  }
  return out;
}

/**
 * A refusal a person can fix (a bad field, a bad photo, a move the topic no
 * longer allows) as { field: problem }; anything else is rethrown.
 */
export function problemsFrom(error: unknown): Problems {
  if (error instanceof InputRejected) return { [error.field]: { key: error.key } };
  if (error instanceof UploadRejected) return { photos: { key: error.key, values: error.values } };
  if (error instanceof MaxPartSizeExceededError) return { photos: { key: "errors.photoTooLarge", values: { n: 1, mb: MAX_PHOTO_BYTES / 1024 / 1024 } } };
  if (error instanceof IllegalMove) return { _form: { key: "errors.moveIllegal", values: { status: error.from } } };
  throw error;
}

/** The signed-in actor and the community named by the URL; 404 if there is none, 403 unless `action` is allowed. */
export async function communityPage(request: Request, slug: string, action: Action & ("community:view" | "community:configure" | "topic:raise" | "topic:triage" | "session:schedule") = "community:view") {
  const actor: Actor = await requireActor(request);
  return orHttpError(async () => {
    const community = await prisma.community.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, coSignThreshold: true } });
    if (!community) throw new NotFound("community");
    requirePermission(actor, "community:view", { type: "community", communityId: community.id });
    requirePermission(actor, action, { type: "community", communityId: community.id });
    return { actor, community };
  });
}

/** The community's topic categories, in their order (archived ones too when labelling old topics). */
export function categoriesOf(communityId: string, { archived = false } = {}) {
  return prisma.topicCategory.findMany({
    where: { communityId, ...(archived ? {} : { archived: false }) },
    orderBy: { position: "asc" },
    select: { key: true, nameZh: true, nameEn: true, archived: true },
  });
}
