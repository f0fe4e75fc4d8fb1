// 组织与单位: staff create, rename and archive organisations, add their members and choose who acts for them.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { listMembers } from "~/models/member.server";
import {
  archiveOrganization,
  createOrganization,
  listOrganizations,
  removeOrganizationMember,
  renameOrganization,
  setOrganizationMember,
} from "~/models/organization.server";
import { ORGANIZATION_KINDS } from "~/utils/domain";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { organizationCreateSchema, organizationMemberSchema, organizationRenameSchema } from "~/utils/places-schemas";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "organizations.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "organization:manage");
  const [orgs, members] = await Promise.all([listOrganizations(actor, community.id), listMembers(actor, community.id)]);
  return { community, organizations: orgs.organizations, members: members.members.filter((m) => m.active) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "organization:manage");
  const fields = fieldsOf(await formOf(request));
  const fail = (problems: Problems) => ({ problems, done: null });
  const ok = (done: "created" | "renamed" | "archived" | "member" | "removed") => ({ problems: {} as Problems, done: `organizations.done.${done}` });
  try {
    if (fields.intent === "create") {
      const input = organizationCreateSchema.safeParse({ kind: fields.kind, name: fields.name });
      if (!input.success) return fail(zodProblems(input.error));
      await createOrganization(actor, community.id, input.data);
      return ok("created");
    }
    const orgId = idSchema.safeParse(fields.organizationId);
    if (!orgId.success) return fail(zodProblems(orgId.error));
    if (fields.intent === "rename") {
      const input = organizationRenameSchema.safeParse({ name: fields.name });
      if (!input.success) return fail(zodProblems(input.error));
      await renameOrganization(actor, community.id, orgId.data, input.data.name);
      return ok("renamed");
    }
    if (fields.intent === "archive") {
      await archiveOrganization(actor, community.id, orgId.data);
      return ok("archived");
    }
    if (fields.intent === "member") {
      // An unticked checkbox sends nothing: absent means "does not act for it".
      const input = organizationMemberSchema.safeParse({ userId: fields.userId, actsForOrganization: fields.actsForOrganization ?? "false" });
      if (!input.success) return fail(zodProblems(input.error));
      await setOrganizationMember(actor, community.id, orgId.data, input.data);
      return ok("member");
    }
    if (fields.intent === "remove") {
      const userId = idSchema.safeParse(fields.userId);
      if (!userId.success) return fail(zodProblems(userId.error));
      await removeOrganizationMember(actor, community.id, orgId.data, userId.data);
      return ok("removed");
    }
    return fail({ _form: { key: "errors.invalidInput" } });
  } catch (error) {
    return fail(problemsFrom(error));
  }
}

const row = { display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" } as const;

export default function OrganizationsPage() {
  const { community, organizations, members } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <div className="card stack">
      <h1>{t("organizations.title")}</h1>
      <p className="muted">
        {community.name} · <a href={`/c/${community.slug}/audit`}>{t("audit.link")}</a>
      </p>
      <p className="muted">{t("organizations.intro")}</p>
      <Outcome done={data?.done} problems={data?.problems} />
      <details data-testid="create-organization">
        <summary>{t("organizations.create")}</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="create" />
          <div>
            <label htmlFor="org-kind">{t("organizations.kind")}</label>
            <select id="org-kind" name="kind" defaultValue="propertyCompany">
              {ORGANIZATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`organizations.kinds.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="org-name">{t("organizations.name")}</label>
            <input id="org-name" name="name" required minLength={2} maxLength={60} />
          </div>
          <button className="btn block" type="submit" disabled={busy}>
            {t("organizations.create")}
          </button>
        </Form>
      </details>
      {organizations.length === 0 ? <p className="muted">{t("organizations.empty")}</p> : null}
      <ul className="list" data-testid="organizations">
        {organizations.map((o) => {
          const inOrg = new Set(o.members.map((m) => m.userId));
          return (
            <li key={o.id} className="stack" data-testid="organization" data-name={o.name}>
              {/* Each organisation is a section of the page: its members' heading sits under it (axe heading-order). */}
              <h2 style={{ margin: 0, fontSize: "1.1rem" }}>
                <span className="pill">{t(`organizations.kinds.${o.kind}`)}</span> <strong>{o.name}</strong>
              </h2>
              <h3 style={{ margin: 0 }}>{t("organizations.members")}</h3>
              {o.members.length === 0 ? <p className="muted">{t("organizations.noMembers")}</p> : null}
              <ul className="list">
                {o.members.map((m) => (
                  <li key={m.userId} style={row} data-testid="organization-member">
                    <span style={{ flex: "1 1 8rem" }}>
                      {m.displayName} · {t(`roles.${m.role}`)}
                      {m.actsForOrganization ? <span className="pill ok"> {t("organizations.actsForShort")}</span> : null}
                    </span>
                    <Form method="post">
                      <input type="hidden" name="intent" value="member" />
                      <input type="hidden" name="organizationId" value={o.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      {m.actsForOrganization ? null : <input type="hidden" name="actsForOrganization" value="true" />}
                      <button className="btn secondary" type="submit" disabled={busy}>
                        {m.actsForOrganization ? t("organizations.unmakeActor") : t("organizations.makeActor")}
                      </button>
                    </Form>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="organizationId" value={o.id} />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button
                        className="btn ghost"
                        type="submit"
                        disabled={busy}
                        aria-label={t("organizations.removeLabel", { name: m.displayName, org: o.name })}
                      >
                        {t("organizations.remove")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
              <Form method="post" style={row}>
                <input type="hidden" name="intent" value="member" />
                <input type="hidden" name="organizationId" value={o.id} />
                <div>
                  <label htmlFor={`org-member-${o.id}`}>{t("organizations.member")}</label>
                  <select id={`org-member-${o.id}`} name="userId" required defaultValue="">
                    <option value="" disabled>
                      {t("places.choose")}
                    </option>
                    {members
                      .filter((m) => !inOrg.has(m.userId))
                      .map((m) => (
                        <option key={m.userId} value={m.userId}>
                          {m.displayName}
                        </option>
                      ))}
                  </select>
                </div>
                <label style={{ display: "flex", gap: "0.4rem", alignItems: "center", minHeight: "44px" }}>
                  <input type="checkbox" name="actsForOrganization" value="true" /> {t("organizations.actsFor")}
                </label>
                <button className="btn" type="submit" disabled={busy}>
                  {t("organizations.addMember")}
                </button>
              </Form>
              <details>
                <summary>
                  {t("organizations.rename")} · {t("organizations.archive")}
                </summary>
                <Form method="post" style={row}>
                  <input type="hidden" name="intent" value="rename" />
                  <input type="hidden" name="organizationId" value={o.id} />
                  <div>
                    <label htmlFor={`org-rename-${o.id}`}>{t("places.newName")}</label>
                    <input id={`org-rename-${o.id}`} name="name" defaultValue={o.name} required minLength={2} maxLength={60} />
                  </div>
                  <button className="btn secondary" type="submit" disabled={busy}>
                    {t("organizations.rename")}
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="archive" />
                  <input type="hidden" name="organizationId" value={o.id} />
                  <button className="btn danger" type="submit" disabled={busy}>
                    {t("organizations.archive")}
                  </button>
                </Form>
              </details>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
