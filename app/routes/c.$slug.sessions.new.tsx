// Staff schedule a council session, then build its agenda.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { ProblemText, SelectField, beijingInputValue } from "~/components/topic-ui";
import { secretaryChoices } from "~/models/session-secretary.server";
import { scheduleSession } from "~/models/session.server";
import { prisma } from "~/utils/db.server";
import { SESSION_MODES } from "~/utils/domain";
import { communityPage, problemsFrom, zodProblems, type Problems, fieldsOf, formOf } from "~/utils/forms.server";
import { orHttpError } from "~/utils/http.server";
import { sessionCreateSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "sessionNew.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { community } = await communityPage(request, params.slug ?? "", "session:schedule");
  const councils = await prisma.council.findMany({ where: { communityId: community.id }, orderBy: { createdAt: "asc" }, select: { id: true, name: true } });
  // A week from now at 14:30 Beijing time, the usual afternoon slot.
  const defaultAt = beijingInputValue(Date.now() + 7 * 86_400_000).slice(0, 11) + "14:30";
  const secretaries = await secretaryChoices(community.id);
  return { community, councils, secretaries, defaultAt, minAt: beijingInputValue(Date.now()) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "session:schedule");
  const values = fieldsOf(await formOf(request));
  const parsed = sessionCreateSchema.safeParse(values);
  if (!parsed.success) return data({ problems: zodProblems(parsed.error), values }, { status: 400 });
  const council = await prisma.council.findFirst({ where: { id: parsed.data.councilId, communityId: community.id }, select: { id: true } });
  if (!council) return data({ problems: { councilId: { key: "errors.councilInvalid" } } as Problems, values }, { status: 400 });
  let session: { id: string };
  try {
    session = await orHttpError(() => scheduleSession(actor, parsed.data));
  } catch (error) {
    if (error instanceof Response) throw error;
    return data({ problems: problemsFrom(error), values }, { status: 400 });
  }
  throw redirect(`/sessions/${session.id}/agenda`);
}

export default function NewSession() {
  const { community, councils, secretaries, defaultAt, minAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const problems: Problems = result?.problems ?? {};
  const values: Record<string, string> = result?.values ?? {};
  return (
    <div>
      <p className="muted">
        <a href={`/c/${community.slug}/triage`}>← {t("triage.title")}</a> · {community.name}
      </p>
      <h1>{t("sessionNew.title")}</h1>
      <Form method="post" className="card stack" noValidate>
        <SelectField name="councilId" label={t("sessionNew.council")} defaultValue={values.councilId} error={problems.councilId}>
          {councils.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </SelectField>
        <Field
          name="title"
          label={t("sessionNew.name")}
          hint={t("sessionNew.nameHint")}
          defaultValue={values.title}
          error={problems.title?.key}
          maxLength={80}
          required
          autoComplete="off"
        />
        <Field
          name="scheduledAt"
          type="datetime-local"
          label={t("sessionNew.when")}
          hint={t("sessionNew.whenHint")}
          min={minAt}
          defaultValue={values.scheduledAt ?? defaultAt}
          error={problems.scheduledAt?.key}
          required
        />
        <Field name="place" label={t("sessionNew.place")} defaultValue={values.place} error={problems.place?.key} maxLength={100} autoComplete="off" />
        <SelectField name="mode" label={t("sessionNew.mode")} defaultValue={values.mode ?? "inPerson"} error={problems.mode}>
          {SESSION_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`modes.${m}`)}
            </option>
          ))}
        </SelectField>
        <SelectField name="secretaryId" label={t("secretary.label")} defaultValue={values.secretaryId ?? ""} error={problems.secretaryId}>
          <option value="">{t("secretary.any")}</option>
          {secretaries.map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName}
            </option>
          ))}
        </SelectField>
        <p className="muted">{t("secretary.hint")}</p>
        <ProblemText problem={problems._form} />
        <button className="btn block" type="submit" disabled={navigation.state !== "idle"}>
          {t("sessionNew.submit")}
        </button>
      </Form>
    </div>
  );
}
