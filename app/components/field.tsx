import { useState } from "react";
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

/** A password field with a "show password" box: typing blind on a small phone is where sign-ins fail. */
export function PasswordField(props: { name: string; label: string; hint?: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const id = props.id ?? `field-${props.name}`;
  return (
    <div>
      <Field {...props} id={id} type={shown ? "text" : "password"} autoCapitalize="none" autoCorrect="off" spellCheck={false} />
      <label className="check">
        <input type="checkbox" checked={shown} onChange={(e) => setShown(e.currentTarget.checked)} aria-controls={id} data-testid="show-password" />
        {t("ux.showPassword")}
      </label>
    </div>
  );
}

/** A new account's fields (name, username, phone, password), the same on an invitation and at first-run setup (accountFields in schemas.ts). */
export function AccountFields({
  errors,
  values = {},
  usernameOptional = false,
}: {
  errors: Record<string, string | undefined>;
  values?: Record<string, string | undefined>;
  /** Invitations: a name and a phone number are enough (inviteAcceptSchema). */
  usernameOptional?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field name="displayName" label={t("invite.displayName")} autoComplete="name" defaultValue={values.displayName} error={errors.displayName} required />
      <Field
        name="username"
        label={usernameOptional ? t("ux.account.usernameOptional") : t("invite.username")}
        hint={usernameOptional ? t("ux.account.usernameOptionalHint") : t("invite.usernameHint")}
        autoComplete="username"
        autoCapitalize="none"
        defaultValue={values.username}
        error={errors.username}
        required={!usernameOptional}
      />
      <Field
        name="phone"
        type="tel"
        inputMode="numeric"
        label={usernameOptional ? t("ux.account.phone") : t("invite.phone")}
        hint={usernameOptional ? t("ux.account.phoneHint") : undefined}
        autoComplete="tel"
        defaultValue={values.phone}
        error={errors.phone}
      />
      <PasswordField
        name="password"
        label={t("invite.password")}
        hint={t("invite.passwordHint")}
        autoComplete="new-password"
        error={errors.password}
        required
      />
    </>
  );
}
