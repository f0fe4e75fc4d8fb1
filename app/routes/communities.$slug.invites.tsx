import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { createInvite } from "~/models/invite.server";
import { prisma } from "~/utils/db.server";
import { ROLES } from "~/utils/domain";
import { orHttpError } from "~/utils/http.server";
import { NotFound, requireActor, requirePermission } from "~/utils/permissions.server";
import { fieldErrors, inviteCreateSchema } from "~/utils/schemas";
import { fieldsOf, formOf } from "~/utils/forms.server";
import { qrSvg } from "~/utils/qr.server";

export const meta: MetaFunction = (args) =>
  pageMeta(args, (t, d) => t("invites.title", { community: (d as { community?: { name?: string } } | undefined)?.community?.name ?? "" }));

async function communityFor(request: Request, slug: string) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const community = await prisma.community.findUnique({
      where: { slug },
      select: {
        id: true,
        name: true,
        organizations: { select: { id: true, name: true } },
        grids: { where: { archivedAt: null }, select: { id: true, name: true }, orderBy: { code: "asc" } },
        buildings: {
          where: { archivedAt: null },
          select: { id: true, name: true, units: { where: { archivedAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } } },
          orderBy: { name: "asc" },
        },
      },
    });
    if (!community) throw new NotFound("community");
    requirePermission(actor, "community:invite", { type: "community", communityId: community.id });
    return { actor, community };
  });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community } = await communityFor(request, params.slug ?? "");
  return { community };
}

/**
 * The form names a place as "grid:<id>", "building:<id>" or "unit:<id>", and a household by its
 * name within the unit (a community has too many households for one list); the schema takes ids.
 */
async function placeFields(fields: Record<string, string>): Promise<Record<string, string> | null> {
  const [kind, id] = (fields.place ?? "").split(":");
  const out: Record<string, string> = {};
  if (kind === "grid" || kind === "building" || kind === "unit") out[`${kind}Id`] = id ?? "";
  const household = (fields.household ?? "").trim();
  if (household) {
    if (kind !== "unit") return null;
    const found = await prisma.household.findFirst({ where: { unitId: id, name: household, archivedAt: null }, select: { id: true } });
    if (!found) return null;
    out.householdId = found.id;
  }
  return out;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityFor(request, params.slug ?? "");
  const fields = fieldsOf(await formOf(request));
  const place = await placeFields(fields);
  if (!place) return { errors: { household: "errors.invitePlaceInvalid" } as Record<string, string>, url: null, qr: null };
  const parsed = inviteCreateSchema.safeParse({ ...fields, ...place });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), url: null, qr: null };
  const result = await createInvite(community.id, actor.userId, parsed.data);
  if (result.error) return { errors: result.error, url: null, qr: null };
  const url = new URL(result.path!, request.url).toString();
  return { errors: {} as Record<string, string>, url, qr: await qrSvg(url) };
}

export default function InvitesPage() {
  const { community } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const errors = data?.errors ?? {};
  return (
    <div className="card">
      <h1>{t("invites.title", { community: community.name })}</h1>
      {data?.url ? (
        <div className="notice ok stack" role="status">
          <p>{t("invites.created")}</p>
          <label htmlFor="invite-url">{t("ux.inviteLink")}</label>
          <input id="invite-url" readOnly value={data.url} data-testid="invite-url" onFocus={(e) => e.currentTarget.select()} />
          {data.qr ? (
            <figure className="stack" style={{ margin: 0 }}>
              {/* The SVG is the qrcode package's own output for our URL: no user text in it. */}
              <div
                role="img"
                aria-label={t("roster.invitePlace.qr")}
                data-testid="invite-qr"
                style={{ maxWidth: 220 }}
                dangerouslySetInnerHTML={{ __html: data.qr }}
              />
              <figcaption className="muted">{t("roster.invitePlace.qrHint")}</figcaption>
            </figure>
          ) : null}
        </div>
      ) : null}
      <Form method="post" className="stack" noValidate>
        <div>
          <label htmlFor="field-role">{t("invites.role")}</label>
          <select id="field-role" name="role" defaultValue="resident">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="field-organizationId">{t("invites.organization")}</label>
          <select id="field-organizationId" name="organizationId" defaultValue="">
            <option value="">—</option>
            {community.organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="field-place">{t("roster.invitePlace.place")}</label>
          <select id="field-place" name="place" defaultValue="">
            <option value="">{t("roster.invitePlace.none")}</option>
            {community.grids.map((g) => (
              <option key={g.id} value={`grid:${g.id}`}>
                {g.name}
              </option>
            ))}
            {community.buildings.map((b) => (
              <optgroup key={b.id} label={b.name}>
                <option value={`building:${b.id}`}>{b.name}</option>
                {b.units.map((u) => (
                  <option key={u.id} value={`unit:${u.id}`}>
                    {b.name} {u.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {errors.place ? (
            <div className="error" role="alert">
              {t(errors.place)}
            </div>
          ) : null}
        </div>
        <Field name="household" label={t("roster.invitePlace.household")} error={errors.household} />
        <Field name="note" label={t("invites.note")} error={errors.note} />
        <Field
          name="expiresInDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={90}
          defaultValue={7}
          label={t("invites.expiresInDays")}
          error={errors.expiresInDays}
        />
        <Field name="maxUses" type="number" inputMode="numeric" min={1} max={500} defaultValue={1} label={t("invites.maxUses")} error={errors.maxUses} />
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
          {t("invites.create")}
        </button>
      </Form>
    </div>
  );
}
