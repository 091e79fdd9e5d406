/** A bad sweep specification: names the flag or grid key and the value; the CLI exits 2. */
export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
