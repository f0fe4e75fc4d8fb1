// The session's secretary (记录员), named by staff.
export const secretaryEn = {
  label: "Secretary",
  any: "Any secretary of the community",
  hint: "Only this secretary writes the session's minutes.",
  change: "Change secretary",
  changed: "The secretary was updated.",
};

export const secretaryErrorsEn = {
  secretaryInvalid: "Choose an active member of this community who holds the secretary role.",
  secretaryNotChangeable: "The session is adjourned or cancelled: its secretary can no longer change.",
};
