// The one vocabulary of refusals. Every refusal the server gives — a page's
// action, the JSON API, a Socket.IO acknowledgement, a WebSocket close — is a
// `Refusal`: an HTTP-like status, a stable i18n key (the client may translate
// it itself), values for the key, and the field it concerns.
//
// The server bundle and the Remix build may each load their own copy of this
// module, so `instanceof` can be false for a refusal made by the other copy:
// a refusal is recognised by the brand below (Symbol.for is process-wide).

export const REFUSAL_BRAND = Symbol.for("yishi.refusal");

export type RefusalValues = Record<string, string | number>;

export class Refusal extends Error {
  readonly [REFUSAL_BRAND] = true;
  constructor(
    readonly status: number,
    readonly key: string,
    readonly values: RefusalValues = {},
    readonly field?: string,
    /** For logs only (never shown): what the code knew when it refused. */
    detail?: string,
  ) {
    super(detail ?? key);
  }
}

/** True for any refusal, whichever copy of this module made it. */
export function isRefusal(error: unknown): error is Refusal {
  return typeof error === "object" && error !== null && (error as { [REFUSAL_BRAND]?: unknown })[REFUSAL_BRAND] === true;
}

/** A form or API field that is well-formed but wrong here (a grid of another community, a date in the past). */
export class InputRejected extends Refusal {
  constructor(field: string, key: string, values: RefusalValues = {}) {
    super(400, key, values, field, `${field}: ${key}`);
  }
}

/** A well-formed request that the session's rules forbid now (vote closed, not checked in, no quorum). */
export class RuleBroken extends Refusal {
  constructor(key: string, values: RefusalValues = {}) {
    super(409, key, values);
  }
}
