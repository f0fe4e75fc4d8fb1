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

async function communityFor(request: Request, slug: string) {
  const actor = await requireActor(request);
  return orHttpError(async () => {
    const community = await prisma.community.findUnique({
      where: { slug },
      select: { id: true, name: true, organizations: { select: { id: true, name: true } } },
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

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityFor(request, params.slug ?? "");
  const parsed = inviteCreateSchema.safeParse(fieldsOf(await formOf(request)));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), url: null };
  const result = await createInvite(community.id, actor.userId, parsed.data);
  if ("error" in result) return { errors: result.error as Record<string, string>, url: null };
  return { errors: {} as Record<string, string>, url: new URL(result.path, request.url).toString() };
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
