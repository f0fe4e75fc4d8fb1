// The live meeting (issue 15): the phone voting layer, taking back an adjournment, the projector, voice input.
export const liveuxEn = {
  resume: {
    button: "Undo adjournment",
    hint: "For {{minutes}} minutes after adjourning, the chair can undo it and the session continues (motions withdrawn by the adjournment stay withdrawn).",
    until: "Can be undone until {{time}}",
  },
  announce: {
    resumed: "The chair undid the adjournment: the session continues.",
  },
  vote: {
    layerTitle: "Please vote",
    changeable: "You can change your choice until the vote closes.",
    back: "Back",
    forSelf: "Your own vote",
    reopen: "Vote full screen",
  },
  screen: {
    link: "Projector screen",
    linkHint: "Open on the meeting room's big screen (display only, no controls)",
    agenda: "Agenda",
    currentItem: "Under deliberation",
    noCurrentItem: "No agenda item opened yet",
    speaker: "Speaker",
    nobodySpeaking: "Nobody has the floor",
    queue: "Waiting to speak",
    queueEmpty: "Nobody waiting",
    voting: "Voting",
    turnout: "{{cast}} of {{eligible}} have voted",
    hidden: "Counts are shown when the vote closes",
    result: "Result",
    passed: "Passed",
    failed: "Not passed",
    checkIn: "Scan to check in",
    checkInHint: "Scan the code with your phone to check in",
    notOpen: "The session has not started",
    adjourned: "The session is adjourned",
    quorum: "{{present}} of {{seated}} present, quorum {{required}}",
    remaining: "{{time}} left",
    overtime: "{{time}} over",
    speakerTime: "{{elapsed}} / {{limit}}",
    offline: "Connection lost, reconnecting…",
  },
  voice: {
    start: "Voice input",
    stop: "Stop voice input",
    listening: "Listening, please speak…",
    failed: "Didn't catch that; try again or type it.",
  },
};

/** Two more steps on the session's timeline (the minutes' history), merged into minutes.timeline */
export const liveuxTimelineEn = {
  adjourned: "The chair adjourned the session",
  resumed: "The chair undid the adjournment; the session continued",
};

/** Merged into errors.* */
export const liveuxErrorsEn = {
  sessionNotAdjourned: "The session is not adjourned: there is nothing to undo.",
  resumeWindowOver: "The session adjourned more than {{minutes}} minutes ago and can no longer be resumed. Schedule another session to continue.",
  resumeMinutesSubmitted: "The minutes have been sent for review: the adjournment can no longer be undone.",
};
