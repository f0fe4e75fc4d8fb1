// Shared by the live page and the server: how long the chair may take back an adjournment.
// Long enough to notice a mis-tap or reconvene when someone returns with a forgotten point;
// short enough that nobody has yet treated the session as over (people leave the room, the
// secretary sends the minutes out for review, which ends the window at once).
export const RESUME_WINDOW_MIN = 10;
