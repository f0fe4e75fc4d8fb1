import { useTranslation } from "react-i18next";
import type { Problem } from "~/utils/forms.server";

/** What a staff form's action answered: a confirmation (an i18n key) read out as status, or the first refusal as an alert. */
export function Outcome({ done, problems }: { done?: string | null; problems?: Record<string, Problem> }) {
  const { t } = useTranslation();
  const problem = Object.values(problems ?? {})[0];
  return (
    <>
      {done ? (
        <p className="notice ok" role="status">
          {t(done)}
        </p>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {t(problem.key, problem.values)}
        </p>
      ) : null}
    </>
  );
}
