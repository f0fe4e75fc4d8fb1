// Strings added by issue 15 (usability and accessibility): the live page's announcements,
// the adjourn confirmation, the item page's read-only reasons and shared page furniture.
export const uxEn = {
  skipToContent: "Skip to content",
  announce: {
    opened: "The session has opened.",
    adjourned: "The session has adjourned.",
    item: "Now on item {{n}}: {{title}}",
    speaker: "Now speaking: {{name}}",
    noSpeaker: "The floor is free.",
    voteOpened: "Vote open: {{text}}. Choose yes, no or abstain.",
    voteOpenedWatch: "Vote open: {{text}}",
    passed: "Result: passed. {{text}}",
    failed: "Result: not passed. {{text}}",
  },
  votingTitle: "Voting",
  adjournConfirm: {
    question: "Adjourn the session?",
    hint: "Adjourning ends the session: no more check-ins, speaking or votes, and the agenda text becomes the record. It cannot be undone.",
    confirm: "Adjourn now",
    cancel: "Keep meeting",
  },
  chairControls: "Chair's controls",
  editorLabel: "Agenda item text",
  inviteLink: "Invitation link (copy it and send it on)",
  photos: {
    addMore: "Add another",
    preparing: "Preparing the photos…",
    nth: "Photo {{n}}",
    remove: "Remove photo {{n}}",
    uploading: "Uploading: {{percent}}%",
    processing: "Uploaded, saving…",
    failed: "The connection dropped and the topic was not sent. What you typed and the photos are still here: press submit again.",
  },
  checkIn: {
    allow: "Let members who are not in the room check themselves in",
    fromAfar: "I'm joining online: check me in",
    fromAfarHint: "Not in the room? The chair has opened check-in from afar.",
    done: "Checked in!",
  },
  account: {
    usernameOptional: "Username (optional)",
    usernameOptionalHint:
      "You can leave it empty and sign in with your phone number. If you choose one: 3–32 lowercase letters, digits, dots, dashes or underscores.",
    phone: "Phone number",
    phoneHint: "You sign in with it; it is not shown to others.",
  },
  showPassword: "Show password",
  largeText: "Large text",
  largeTextShort: "A+",
  dismiss: "Close",
  readOnlyAdjourned: "The session has adjourned: the agenda text is now the record and can only be read.",
} as const;

export const uxErrorsEn = {
  phoneOrUsernameRequired: "Enter your phone number (you sign in with it).",
  selfCheckInOff: "The chair has not opened check-in from afar; ask the chair to check you in.",
  selfCheckInInPerson: "This session meets in person: scan the code in the room to check in.",
} as const;
