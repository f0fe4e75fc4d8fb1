import type { uxrestAuditZhCN, uxrestErrorsZhCN, uxrestZhCN } from "./uxrest.zh-CN";

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const uxrestEn: Shape<typeof uxrestZhCN> = {
  reset: {
    title: "Set a new password",
    intro: "{{name}}, choose a new password. You will be signed in straight away.",
    password: "New password",
    submit: "Set new password and sign in",
    othersSignedOut: "Afterwards you are signed out on every other phone or computer.",
    askStaff: "Ask the community staff for a new link.",
    issue: "Reset {{name}}'s password",
    issued: "A one-time reset link for {{name}}: valid for 24 hours, works once. Hand it over in person or let them scan the code.",
    link: "Reset link",
    qr: "QR code of the reset link",
    qrHint: "Scan with a phone to open the reset page.",
    expires: "Valid until {{time}}",
  },
  contrast: { label: "High contrast", short: "Contrast" },
  tableScroll: "{{title}} (table)",
  offline: {
    banner: "You are offline. Nothing you typed is lost: send it when the connection is back.",
    copy: "Offline copy",
    copyNote: "This is the copy saved when you last opened this page; it may be out of date.",
    draftRestored: "Your unsent draft was restored.",
    draftClear: "Discard draft",
  },
};

export const uxrestErrorsEn: Shape<typeof uxrestErrorsZhCN> = {
  resetInvalid: "This reset link is not valid, already used or expired.",
  resetUseActivation: "This person has not activated their account yet: issue an activation link instead.",
  resetNotHere: "This person also belongs to a community or street office you do not manage: you cannot reset their password.",
};

export const uxrestAuditEn: Shape<typeof uxrestAuditZhCN> = { "member.passwordReset": "Password reset link issued" };
