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
