// The moves a viewer may make on a topic (staff triage, an organisation's
// formal answer): exactly those the server listed for this viewer, one form each.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/format";
import { ProblemText, SelectField, TextAreaField, type Problem } from "./topic-ui";

export type MoveResult = { move: string; problems: Record<string, Problem>; values: Record<string, string> } | { done: string };

type Props = {
  moves: readonly string[];
  organizations: readonly { id: string; name: string }[];
  openTopics: readonly { id: string; title: string }[];
  sessions: readonly { id: string; title: string; scheduledAt: Date | string }[];
  defaultDue: string;
  minDue: string;
  result: MoveResult | undefined;
  busy: boolean;
  /** Unfold every move (a single one, such as the organisation's answer). */
  expanded?: boolean;
};

/** One move's form; its refusal shows only on it. */
function MoveForm({
  move,
  result,
  busy,
  children,
  danger = false,
}: {
  move: string;
  result: Props["result"];
  busy: boolean;
  children?: React.ReactNode;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const mine = result && "move" in result && result.move === move ? result : undefined;
  return (
    <Form method="post" className="stack move-form" noValidate preventScrollReset data-move={move}>
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="move" value={move} />
      {children}
      <ProblemText problem={mine?.problems._form ?? mine?.problems.move} />
      <button className={danger ? "btn secondary block" : "btn block"} type="submit" disabled={busy}>
        {t(`moves.${move}.submit`)}
      </button>
    </Form>
  );
}

export function TopicMoves({ moves, organizations, openTopics, sessions, defaultDue, minDue, result, busy, expanded = false }: Props) {
  const { t, i18n } = useTranslation();
  const failed = result && "move" in result ? result : undefined;
  const p = (move: string, field: string) => (failed?.move === move ? failed.problems[field] : undefined);
  const v = (move: string, field: string) => (failed?.move === move ? failed.values[field] : undefined);
  // A refused move stays open so its error is seen; the others start folded.
  const open = (move: string) => (expanded || failed?.move === move ? true : undefined);

  const section = (move: string, body: React.ReactNode) =>
    moves.includes(move) ? (
      <details key={move} className="move" open={open(move)} data-testid={`move-${move}`}>
        <summary>{t(`moves.${move}.label`)}</summary>
        <p className="muted">{t(`moves.${move}.hint`)}</p>
        {body}
      </details>
    ) : null;

  return (
    <div className="moves">
      {section(
        "schedule",
        sessions.length === 0 ? (
          <p className="notice">{t("moves.schedule.noSessions")}</p>
        ) : (
          <MoveForm move="schedule" result={result} busy={busy}>
            <SelectField
              name="sessionId"
              id="schedule-sessionId"
              label={t("moves.schedule.session")}
              defaultValue={v("schedule", "sessionId")}
              error={p("schedule", "sessionId")}
            >
              {sessions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title} · {formatDateTime(s.scheduledAt, i18n.language)}
                </option>
              ))}
            </SelectField>
            <div>
              <label htmlFor="schedule-timeSlotMin">{t("moves.schedule.timeSlot")}</label>
              <input
                id="schedule-timeSlotMin"
                name="timeSlotMin"
                type="number"
                inputMode="numeric"
                min={1}
                max={240}
                defaultValue={v("schedule", "timeSlotMin")}
              />
              <ProblemText problem={p("schedule", "timeSlotMin")} />
            </div>
          </MoveForm>
        ),
      )}
      {section("accept", <MoveForm move="accept" result={result} busy={busy} />)}
      {section(
        "answer",
        <MoveForm move="answer" result={result} busy={busy}>
          <TextAreaField
            name="answer"
            id="answer-answer"
            label={t("moves.answer.text")}
            defaultValue={v("answer", "answer")}
            error={p("answer", "answer")}
            maxLength={2000}
            required
          />
        </MoveForm>,
      )}
      {section(
        "refer",
        <MoveForm move="refer" result={result} busy={busy}>
          <SelectField
            name="organizationId"
            id="refer-organizationId"
            label={t("moves.refer.organization")}
            defaultValue={v("refer", "organizationId")}
            error={p("refer", "organizationId")}
          >
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
          <div>
            <label htmlFor="refer-dueAt">{t("moves.refer.dueAt")}</label>
            <input id="refer-dueAt" name="dueAt" type="datetime-local" min={minDue} defaultValue={v("refer", "dueAt") ?? defaultDue} required />
            <ProblemText problem={p("refer", "dueAt")} />
          </div>
        </MoveForm>,
      )}
      {section(
        "orgAnswer",
        <MoveForm move="orgAnswer" result={result} busy={busy}>
          <TextAreaField
            name="answer"
            id="orgAnswer-answer"
            label={t("moves.orgAnswer.text")}
            defaultValue={v("orgAnswer", "answer")}
            error={p("orgAnswer", "answer")}
            maxLength={2000}
            required
          />
        </MoveForm>,
      )}
      {section(
        "merge",
        openTopics.length === 0 ? (
          <p className="notice">{t("moves.merge.noTargets")}</p>
        ) : (
          <MoveForm move="merge" result={result} busy={busy}>
            <SelectField
              name="intoTopicId"
              id="merge-intoTopicId"
              label={t("moves.merge.into")}
              defaultValue={v("merge", "intoTopicId")}
              error={p("merge", "intoTopicId")}
            >
              {openTopics.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.title}
                </option>
              ))}
            </SelectField>
          </MoveForm>
        ),
      )}
      {section(
        "decline",
        <MoveForm move="decline" result={result} busy={busy} danger>
          <TextAreaField
            name="reason"
            id="decline-reason"
            label={t("moves.decline.reason")}
            defaultValue={v("decline", "reason")}
            error={p("decline", "reason")}
            maxLength={500}
            required
          />
        </MoveForm>,
      )}
      {section("unschedule", <MoveForm move="unschedule" result={result} busy={busy} danger />)}
    </div>
  );
}
