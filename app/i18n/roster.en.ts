import type { rosterAuditZhCN, rosterErrorsZhCN, rosterZhCN } from "./roster.zh-CN";

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const rosterEn: Shape<typeof rosterZhCN> = {
  title: "Import a resident roster",
  link: "Import a roster",
  intro:
    "Upload an Excel (.xlsx) or CSV file. The first row is the header: name, phone and building are required; unit, household, role and grid are optional. Every row is checked first; if any row has an error nothing is written.",
  columns:
    "Columns: 姓名 name, 手机号 phone, 楼栋 building, 单元 unit, 房号 household, 角色 role (resident by default), 网格 grid (from the building if empty)",
  policy:
    "A phone number of a member here: they get the row's role and home. Of an account in another community: that person joins this one and keeps their own name. Of a member deactivated here: skipped. New residents have no password: each sets one through their own activation link.",
  file: "Roster file (.xlsx or .csv, at most 5 MB and 10 000 rows)",
  preview: "Check the file",
  summary: "{{rows}} rows: {{newPeople}} new people, {{existing}} with an account, {{skipped}} skipped, {{newHouseholds}} new households",
  errorsTitle: "{{errors}} errors in {{rows}} rows: fix them and upload the file again",
  noErrors: "No errors found: ready to import.",
  row: "Row {{row}}",
  fields: {
    name: "Name",
    phone: "Phone",
    building: "Building",
    unit: "Unit",
    household: "Household",
    role: "Role",
    grid: "Grid",
    _row: "Row",
  },
  outcomes: { new: "new account", join: "joins this community", update: "role/home updated", skip: "deactivated: skipped" },
  firstRows: "The first {{count}} rows",
  newHousehold: "new household {{name}}",
  import: "Import {{count}} people",
  done: "Imported {{imported}} people: {{newPeople}} new accounts, {{newHouseholds}} new households.",
  activationNext: "New residents must activate their accounts: print their activation sheets",
  activation: {
    title: "Activation sheets",
    link: "Activation sheets",
    intro:
      "These members' accounts were made by the community and have no password yet. Make each a one-time activation link (with a QR code) to print or send; they open it, set a password, and from then on sign in with their phone number.",
    pending: "{{count}} waiting to activate",
    none: "Nobody is waiting to activate.",
    issueAll: "Make sheets for the first {{count}}",
    issueOne: "Make {{name}}'s activation link",
    issued: "{{count}} activation sheets made. Each link works once, for {{days}} days; making another voids the old one.",
    print: "Print",
    card: "{{name}}, scan with your phone to set your password",
    phone: "Sign-in phone number: {{phone}}",
    expires: "Valid until {{date}}",
  },
  activate: {
    title: "Activate your account",
    intro: "{{name}}, welcome to {{community}}. Set your password; from now on sign in with your phone number {{phone}} and this password.",
    password: "New password",
    submit: "Set my password and sign in",
    invalid: "This activation link is not valid, already used or expired. Ask the community staff for a new one.",
  },
  invitePlace: {
    place: "Home (optional)",
    household: "Household (optional; must exist in the chosen unit)",
    qr: "Invitation QR code",
    qrHint: "Scan it with a phone to open the invitation",
    none: "—",
  },
};

export const rosterErrorsEn: Shape<typeof rosterErrorsZhCN> = {
  rosterColumnsMissing: "The header lacks required columns: {{columns}}",
  rosterEmpty: "The file has no residents in it.",
  rosterTooManyRows: "At most {{max}} rows at a time: split the roster.",
  rosterTooLarge: "The file may be at most {{mb}} MB.",
  rosterUnreadable: "This file can't be read: save it as .xlsx or CSV and try again.",
  rosterOldExcel: "This is an old Excel (.xls) file: save it as .xlsx in Excel and upload that.",
  rosterFileRequired: "Choose a roster file.",
  rosterRowsInvalid: "rows must be an array of arrays of strings, the header row first.",
  rosterCellTooLong: "A cell is too long (at most 200 characters).",
  rosterTooManyColumns: "Too many columns (at most 50).",
  rosterNameMissing: "Name missing",
  rosterNameTooLong: "Name too long (at most {{max}} characters)",
  rosterPhoneMissing: "Phone number missing",
  rosterPhoneInvalid: "“{{value}}” is not a valid 11-digit mainland mobile number",
  rosterPhoneDuplicate: "Same phone number as row {{first}}",
  rosterRoleUnknown: "Unknown role “{{value}}”",
  rosterBuildingMissing: "Building missing",
  rosterBuildingUnknown: "This community has no building “{{value}}”",
  rosterUnitUnknown: "{{building}} has no unit “{{value}}”",
  rosterUnitNeeded: "{{building}} has several units: give the unit with the household",
  rosterGridUnknown: "This community has no grid “{{value}}”",
  rosterGridMismatch: "{{building}} is not in grid “{{value}}”",
  rosterHouseholdTooLong: "Household too long (at most {{max}} characters)",
  rosterHasErrors: "The roster has {{errors}} errors in {{rows}} rows; nothing was imported. Check the file again.",
  accountDeactivated: "The community has deactivated your account: you can't sign in. Ask the community staff if you think this is wrong.",
  activationNotNeeded: "This person has set a password already: no activation link is needed.",
  activationInvalid: "This activation link is not valid, already used or expired.",
  invitePlaceInvalid: "The chosen home is not in this community.",
};

export const rosterAuditEn: Shape<typeof rosterAuditZhCN> = { "roster.import": "Roster imported", "member.place": "Home place changed" };
