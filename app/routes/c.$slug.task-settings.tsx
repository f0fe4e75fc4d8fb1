// Staff choose how residents' verification closes a task (验收规则): the first verifier, or a
// majority of those who answer within N days; what silence means; first-response hours; which
// ratings count as satisfied (the dashboard reads these).
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import { getTaskSettings, updateTaskSettings } from "~/models/task.server";
import { communityPage, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { RATINGS, SILENCE_COUNTS, VERIFICATION_RULES } from "~/utils/task-domain";
import { taskSettingsSchema } from "~/utils/task-schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "tasks.settings.heading");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "community:configure");
  return { community, settings: await getTaskSettings(actor, community.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "community:configure");
  const form = await formOf(request);
  const parsed = taskSettingsSchema.safeParse({
    rule: form.get("rule"),
    days: form.get("days"),
    silence: form.get("silence"),
    responseDeadlineHours: form.get("responseDeadlineHours"),
    satisfiedRatings: form.getAll("satisfiedRatings"),
  });
  if (!parsed.success) return { problems: zodProblems(parsed.error), saved: false };
  try {
    await updateTaskSettings(actor, community.id, parsed.data);
  } catch (error) {
    return { problems: problemsFrom(error), saved: false };
  }
  return { problems: {} as Problems, saved: true };
}

export default function TaskSettingsPage() {
  const { community, settings } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  return (
    <div className="card">
      <p className="muted">
        <a href={`/c/${community.slug}/tasks`}>{t("tasks.back")}</a>
      </p>
      <h1>{t("tasks.settings.heading")}</h1>
      <p className="muted">{community.name}</p>
      <Outcome done={data?.saved ? "tasks.settings.saved" : null} problems={data?.problems} />
      <Form method="post" className="stack">
        <div>
          <label htmlFor="rule">{t("tasks.settings.rule")}</label>
          <select id="rule" name="rule" defaultValue={settings.rule}>
            {VERIFICATION_RULES.map((r) => (
              <option key={r} value={r}>
                {t(`tasks.settings.rules.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="days">{t("tasks.settings.days")}</label>
          <input id="days" name="days" type="number" inputMode="numeric" min={1} max={60} defaultValue={settings.days} />
        </div>
        <div>
          <label htmlFor="silence">{t("tasks.settings.silence")}</label>
          <select id="silence" name="silence" defaultValue={settings.silence}>
            {SILENCE_COUNTS.map((s) => (
              <option key={s} value={s}>
                {t(`tasks.settings.silences.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="responseDeadlineHours">{t("tasks.settings.responseHours")}</label>
          <input
            id="responseDeadlineHours"
            name="responseDeadlineHours"
            type="number"
            inputMode="numeric"
            min={1}
            max={720}
            defaultValue={settings.responseDeadlineHours}
          />
        </div>
        <fieldset>
          <legend>{t("tasks.settings.satisfied")}</legend>
          {RATINGS.map((r) => (
            <label key={r} className="check" style={{ display: "flex", gap: "0.5rem", alignItems: "center", fontWeight: 400 }}>
              <input
                type="checkbox"
                name="satisfiedRatings"
                value={r}
                defaultChecked={settings.satisfiedRatings.includes(r)}
                style={{ width: 24, minHeight: 24 }}
              />
              {t(`tasks.rating.${r}`)}
            </label>
          ))}
        </fieldset>
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
          {t("tasks.settings.save")}
        </button>
      </Form>
    </div>
  );
}
