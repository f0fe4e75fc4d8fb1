/** A form or API field that is well-formed but wrong here (a grid of another community, a date in the past). */
export class InputRejected extends Error {
  readonly status = 400;
  constructor(
    readonly field: string,
    readonly key: string,
  ) {
    super(`${field}: ${key}`);
  }
}

/** A well-formed request that the session's rules forbid now (vote closed, not checked in, no quorum). */
export class RuleBroken extends Error {
  readonly status = 409;
  constructor(
    readonly key: string,
    readonly values: Record<string, string | number> = {},
  ) {
    super(key);
  }
}
