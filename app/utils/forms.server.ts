// What the pages (not the JSON API) share on the server: find a community by
// its slug for the signed-in person, and turn a refused input into something
// the form can show next to the field, translated on screen.
import type { z } from "zod";
import { readForm, type FormOptions } from "./body.server";
import { prisma } from "./db.server";
import { orHttpError } from "./http.server";
import { communityBySlug, requireActor, requirePermission, type Action, type Actor } from "./permissions.server";
import { fieldErrors } from "./schemas";
import { refusalOf, refusalResponse } from "./refusal.server";
import { InputRejected } from "./errors";
import { nulField } from "./nul";

/** An i18n key and its values: the screen translates it in the page's language. */
export type Problem = { key: string; values?: Record<string, string | number> };
export type Problems = Record<string, Problem>;

const KEY = /^errors\.[A-Za-z]+$/;

/** zod issues as { field: problem }, first issue per field; a message that is not one of ours reads "check this field". */
export function zodProblems(error: z.ZodError): Problems {
  return Object.fromEntries(
    Object.entries(fieldErrors(error)).map(([field, message]) => [field, { key: KEY.test(message) ? message : "errors.invalidInput" }]),
  );
}

/**
 * A refusal a person can fix (a bad field, a bad photo, a move the topic no
 * longer allows) as { field: problem }; anything else is rethrown.
 */
export function problemsFrom(error: unknown): Problems {
  // The same mapping as every other channel; the page only needs key, values and field.
  const refusal = refusalOf(error, "zh-CN");
  if (refusal.status >= 500 || refusal.status === 403 || refusal.status === 404) throw error;
  return { [refusal.field ?? "_form"]: { key: refusal.key, ...(refusal.values ? { values: refusal.values } : {}) } };
}

/**
 * Every page action reads its form here: within the size and field limits of
 * body.server.ts, and a body that is too large, of the wrong type or broken is
 * answered 413 / 415 / 400 in the one vocabulary instead of failing in the parser.
 */
export async function formOf(request: Request, options: FormOptions = {}): Promise<FormData> {
  try {
    const form = await readForm(request, options);
    const nul = nulField(fieldsOf(form));
    if (nul) throw new InputRejected(nul, "errors.invalidInput");
    return form;
  } catch (error) {
    return refusalResponse(error, request);
  }
}

/** The string fields of a form, in a null-prototype object (a field named __proto__ is just a field). */
export function fieldsOf(form: FormData): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = v;
  return { ...out };
}

/** The signed-in actor and the community named by the URL; 404 if there is none, 403 unless `action` is allowed. */
export async function communityPage(
  request: Request,
  slug: string,
  action: Action &
    (
      | "community:view"
      | "community:configure"
      | "council:seat"
      | "member:manage"
      | "member:import"
      | "audit:view"
      | "topic:raise"
      | "topic:triage"
      | "session:schedule"
      | "place:manage"
      | "organization:manage"
    ) = "community:view",
) {
  const actor: Actor = await requireActor(request);
  return orHttpError(async () => {
    const community = await communityBySlug(slug);
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
