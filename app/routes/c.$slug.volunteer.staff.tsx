// 志愿服务管理 for the community's staff: teams and their leaders, the points rules, hours served
// and points flowing per grid and month, and corrections (冲正) of ledger transactions (issue 18).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { when } from "~/components/volunteer-ui";
import { listMembers } from "~/models/member.server";
import { beijingYearStart } from "~/models/volunteer-rules";
import {
  correctTransaction,
  createTeam,
  listTeams,
  recentTransactions,
  setTeamMember,
  setVolunteerRules,
  staffOverview,
  volunteerRules,
} from "~/models/volunteer.server";
import { prisma } from "~/utils/db.server";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { requirePermission } from "~/utils/permissions.server";
import { idSchema } from "~/utils/schemas";
import { correctionSchema, teamCreateSchema, teamMemberSchema, volunteerRulesSchema } from "~/utils/volunteer-schemas";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  try {
    requirePermission(actor, "volunteer:manage", { type: "community", communityId: community.id });
  } catch {
    throw new Response("Forbidden", { status: 403 });
  }
  const now = new Date();
  const [teams, rules, overview, transactions, members] = await Promise.all([
    listTeams(actor, community.id),
    volunteerRules(prisma, community.id),
    staffOverview(actor, community.id, { from: beijingYearStart(now), to: new Date(now.getTime() + 1) }),
    recentTransactions(actor, community.id),
    listMembers(actor, community.id),
  ]);
  const people = [...new Map(members.members.filter((m) => m.active).map((m) => [m.userId, { id: m.userId, name: m.displayName }])).values()];
  return { community, teams, rules, overview, transactions, people };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "");
  const fields = fieldsOf(await formOf(request));
  const fail = (problems: Problems) => ({ problems, done: null as string | null });
  const ok = (done: string) => ({ problems: {} as Problems, done: `volunteer.staff.done.${done}` });
  try {
    if (fields.intent === "team") {
      const input = teamCreateSchema.safeParse({ name: fields.name });
      if (!input.success) return fail(zodProblems(input.error));
      await createTeam(actor, community.id, input.data);
      return ok("team");
    }
    if (fields.intent === "member") {
      const team = idSchema.safeParse(fields.teamId);
      const input = teamMemberSchema.safeParse({ userId: fields.userId, role: fields.role === "remove" ? null : fields.role });
      if (!team.success) return fail(zodProblems(team.error));
      if (!input.success) return fail(zodProblems(input.error));
      await setTeamMember(actor, community.id, team.data, input.data);
      return ok("member");
    }
    if (fields.intent === "rules") {
      const input = volunteerRulesSchema.safeParse({
        pointsMode: fields.pointsMode,
        pointsPerUnit: fields.pointsPerUnit,
        yearlyCap: fields.yearlyCap,
        expiryMonths: fields.expiryMonths,
      });
      if (!input.success) return fail(zodProblems(input.error));
      await setVolunteerRules(actor, community.id, input.data);
      return ok("rules");
    }
    if (fields.intent === "correct") {
      const tx = idSchema.safeParse(fields.transactionId);
      const input = correctionSchema.safeParse({ reason: fields.reason });
      if (!tx.success) return fail(zodProblems(tx.error));
      if (!input.success) return fail(zodProblems(input.error));
      await correctTransaction(actor, community.id, tx.data, input.data.reason);
      return ok("corrected");
    }
    return fail({ _form: { key: "errors.invalidInput" } });
  } catch (error) {
    return fail(problemsFrom(error));
  }
}

export default function VolunteerStaffPage() {
  const { community, teams, rules, overview, transactions, people } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t, i18n } = useTranslation();
  return (
    <div className="card stack">
      <p>
        <a href={`/c/${community.slug}/volunteer`}>← {t("volunteer.title")}</a>
      </p>
      <h1>{t("volunteer.staff.title")}</h1>
      <Outcome done={data?.done} problems={data?.problems} />

      <section className="stack" aria-labelledby="figures">
        <h2 id="figures">{t("volunteer.staff.figures")}</h2>
        <div style={{ overflowX: "auto" }}>
          <table data-testid="volunteer-figures">
            <thead>
              <tr>
                <th>{t("volunteer.staff.month")}</th>
                <th>{t("volunteer.staff.grid")}</th>
                <th>{t("volunteer.staff.hours")}</th>
                <th>{t("volunteer.staff.issued")}</th>
                <th>{t("volunteer.staff.redeemed")}</th>
              </tr>
            </thead>
            <tbody>
              {overview.figures.map((f) => (
                <tr key={`${f.month}-${f.gridId}`}>
                  <td>{f.month}</td>
                  <td>{f.grid || t("volunteer.staff.noGrid")}</td>
                  <td>{f.hours}</td>
                  <td>{f.pointsIssued}</td>
                  <td>{f.pointsRedeemed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="stack" aria-labelledby="teams">
        <h2 id="teams">{t("volunteer.staff.teams")}</h2>
        <ul className="list">
          {teams.map((tm) => (
            <li key={tm.id} className="stack">
              <strong>
                {tm.name} · {t("volunteer.staff.teamHours", { hours: overview.teams.find((x) => x.id === tm.id)?.hours ?? 0 })}
              </strong>
              <span className="muted" style={{ display: "block" }}>
                {tm.members.map((m) => `${m.displayName}${m.role === "leader" ? `（${t("volunteer.staff.leader")}）` : ""}`).join("、") ||
                  t("volunteer.staff.noMembers")}
              </span>
              <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" }}>
                <input type="hidden" name="intent" value="member" />
                <input type="hidden" name="teamId" value={tm.id} />
                <select name="userId" aria-label={t("volunteer.staff.person")}>
                  {people.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
                <select name="role" aria-label={t("volunteer.staff.role")} defaultValue="member">
                  <option value="member">{t("volunteer.staff.member")}</option>
                  <option value="leader">{t("volunteer.staff.leader")}</option>
                  <option value="remove">{t("volunteer.staff.remove")}</option>
                </select>
                <button className="btn secondary" disabled={busy}>
                  {t("volunteer.staff.apply")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" }}>
          <input type="hidden" name="intent" value="team" />
          <label>
            {t("volunteer.staff.teamName")}
            <input name="name" required minLength={2} maxLength={40} />
          </label>
          <button className="btn" disabled={busy}>
            {t("volunteer.staff.createTeam")}
          </button>
        </Form>
      </section>

      <section className="stack" aria-labelledby="rules">
        <h2 id="rules">{t("volunteer.staff.rules")}</h2>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="rules" />
          <label htmlFor="r-mode">{t("volunteer.pointsMode")}</label>
          <select id="r-mode" name="pointsMode" defaultValue={rules.pointsMode}>
            <option value="perHour">{t("volunteer.modes.perHour")}</option>
            <option value="perActivity">{t("volunteer.modes.perActivity")}</option>
          </select>
          <label htmlFor="r-unit">{t("volunteer.points")}</label>
          <input id="r-unit" name="pointsPerUnit" type="number" min={0} max={1000} defaultValue={rules.pointsPerUnit} />
          <label htmlFor="r-cap">{t("volunteer.staff.yearlyCap")}</label>
          <input id="r-cap" name="yearlyCap" type="number" min={0} defaultValue={rules.yearlyCap} />
          <label htmlFor="r-exp">{t("volunteer.staff.expiryMonths")}</label>
          <input id="r-exp" name="expiryMonths" type="number" min={0} max={120} defaultValue={rules.expiryMonths} />
          <button className="btn block" disabled={busy}>
            {t("volunteer.staff.saveRules")}
          </button>
        </Form>
      </section>

      <section className="stack" aria-labelledby="ledger">
        <h2 id="ledger">{t("volunteer.staff.ledger")}</h2>
        <p className="muted">{t("volunteer.staff.ledgerHelp")}</p>
        <ul className="list">
          {transactions.map((tx) => (
            <li key={tx.id} className="stack">
              <span>
                <span className="pill">{t(`volunteer.kinds.${tx.kind}`)}</span> {tx.memo} · {tx.resident} · {tx.points} · {when(tx.at, i18n.language)}
                {tx.reversed ? <span className="pill"> {t("volunteer.staff.reversed")}</span> : null}
              </span>
              {tx.reversible ? (
                <details>
                  <summary>{t("volunteer.staff.correct")}</summary>
                  <Form method="post" className="stack">
                    <input type="hidden" name="intent" value="correct" />
                    <input type="hidden" name="transactionId" value={tx.id} />
                    <label htmlFor={`reason-${tx.id}`}>{t("volunteer.staff.reason")}</label>
                    <input id={`reason-${tx.id}`} name="reason" required minLength={2} maxLength={500} />
                    <button className="btn secondary" disabled={busy}>
                      {t("volunteer.staff.correct")}
                    </button>
                  </Form>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
