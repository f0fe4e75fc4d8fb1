/** Base URL of the realtime endpoints on this page's own origin. */
export function websocketOrigin(): string {
  return `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}`;
}
