import { useTranslation } from "react-i18next";

/** A labelled input with its error (an i18n key from the shared zod schema) read out to screen readers. */
export function Field({
  name,
  label,
  hint,
  error,
  ...input
}: { name: string; label: string; hint?: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  const id = input.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        {...input}
      />
      {hint && !error ? (
        <div id={`${id}-hint`} className="muted">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="error" role="alert">
          {t(error)}
        </div>
      ) : null}
    </div>
  );
}
