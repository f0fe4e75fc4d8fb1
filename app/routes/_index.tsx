import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getUserId } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { can, loadActor } from "~/utils/permissions.server";
import { formatDateTime } from "~/utils/format";

export const meta: MetaFunction = (args) => pageMeta(args, "home.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await getUserId(request);
  const actor = userId ? await loadActor(userId) : null;
  if (!actor) return { signedIn: false as const, communities: [] };
  const communityIds = [...new Set(actor.memberships.map((m) => m.communityId))];
  const communities = await prisma.community.findMany({
    where: { id: { in: communityIds } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      councils: {
        select: {
          id: true,
          name: true,
          // What is on now and what comes next, soonest first (a week back for the minutes still in
          // hand): a session far in the future must not push next week's off the list.
          sessions: {
            where: { OR: [{ status: "open" }, { scheduledAt: { gte: new Date(Date.now() - 7 * 86_400_000) } }] },
            orderBy: { scheduledAt: "asc" },
            take: 20,
            select: { id: true, title: true, scheduledAt: true, status: true, place: true, _count: { select: { agendaItems: true } } },
          },
        },
      },
    },
  });
  return {
    signedIn: true as const,
    superUser: !!actor.district,
    overseer: actor.overseesDeployment === true,
    communities: communities.map((c) => ({
      ...c,
      roles: actor.memberships.filter((m) => m.communityId === c.id).map((m) => m.role),
      mayInvite: can(actor, "community:invite", { type: "community", communityId: c.id }),
      mayTriage: can(actor, "topic:triage", { type: "community", communityId: c.id }),
    })),
  };
}

export default function Index() {
  const data = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  if (!data.signedIn) {
    return (
      <div className="card stack">
        <h1>{t("app.fullName")}</h1>
        <p>{t("home.intro")}</p>
        <p className="muted">{t("app.tagline")}</p>
        <p>{t("home.signInPrompt")}</p>
        <a className="btn block" href="/login">
          {t("nav.signIn")}
        </a>
      </div>
    );
  }
  return (
    <div>
      <h1>{t("home.title")}</h1>
      {data.superUser ? (
        <p>
          <a className="btn block" href="/district" data-testid="district-link">
            {t("district.link")}
          </a>
        </p>
      ) : null}
      {data.overseer ? (
        <p>
          <a className="btn block" href="/dashboard" data-testid="deployment-dashboard-link">
            {t("dashboard.deploymentTitle")}
          </a>
        </p>
      ) : null}
      {data.communities.map((community) => (
        <section key={community.id} className="card" aria-label={community.name}>
          <h2 style={{ marginTop: 0 }}>{community.name}</h2>
          <p className="muted">{community.roles.map((r) => t(`roles.${r}`)).join(" · ")}</p>
          <div className="actions">
            <a className="btn" href={`/c/${community.slug}/topics`} data-testid="topic-board-link">
              {t("home.topics")}
            </a>
            <a className="btn secondary" href={`/c/${community.slug}/notices`} data-testid="notice-board-link">
              {t("minutes.noticeBoard")}
            </a>
            <a className="btn secondary" href={`/c/${community.slug}/tasks`} data-testid="community-tasks-link">
              {t("tasks.nav")}
            </a>
            <a className="btn secondary" href="/tasks" data-testid="my-tasks-link">
              {t("tasks.mine")}
            </a>
            <a className="btn secondary" href={`/c/${community.slug}/dashboard`} data-testid="dashboard-link">
              {t("dashboard.title")}
            </a>
            <a className="btn secondary" href={`/c/${community.slug}/volunteer`} data-testid="volunteer-link">
              {t("volunteer.title")}
            </a>
            {community.mayTriage ? (
              <a className="btn secondary" href={`/c/${community.slug}/triage`}>
                {t("topics.triage")}
              </a>
            ) : null}
          </div>
          {community.councils.map((council) => (
            <div key={council.id}>
              <h3>{council.name}</h3>
              {council.sessions.length === 0 ? (
                <p className="muted">{t("home.noSessions")}</p>
              ) : (
                <ul className="list">
                  {council.sessions.map((s) => (
                    <li key={s.id}>
                      <a className="item-link" href={`/sessions/${s.id}`}>
                        <span className="title">{s.title}</span>
                        <br />
                        <span className="muted">
                          {formatDateTime(s.scheduledAt, i18n.language)} · {s.place} · <span className="pill">{t(`statuses.${s.status}`)}</span>
                        </span>
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          {community.mayInvite ? (
            <p className="button-row" style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap" }}>
              <a className="btn secondary" href={`/communities/${community.slug}/invites`}>
                {t("home.invite")}
              </a>
              <a className="btn secondary" href={`/c/${community.slug}/settings`}>
                {t("settings.link")}
              </a>
              <a className="btn secondary" href={`/c/${community.slug}/council`}>
                {t("council.link")}
              </a>
              <a className="btn secondary" href={`/c/${community.slug}/members`}>
                {t("members.link")}
              </a>
              <a className="btn secondary" href={`/c/${community.slug}/places`}>
                {t("places.link")}
              </a>
              <a className="btn secondary" href={`/c/${community.slug}/organizations`}>
                {t("organizations.link")}
              </a>
              <a className="btn secondary" href={`/c/${community.slug}/audit`}>
                {t("audit.link")}
              </a>
            </p>
          ) : null}
        </section>
      ))}
    </div>
  );
}
