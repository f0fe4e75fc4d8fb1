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
  dismiss: "Close",
  readOnlyAdjourned: "The session has adjourned: the agenda text is now the record and can only be read.",
} as const;
