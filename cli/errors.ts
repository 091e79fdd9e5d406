/** Exit codes shared by every command. */
export const exitCodes = { ok: 0, checkFailed: 1, badInput: 2 } as const;

/** Bad flags or input files: the message names the field and the value; exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
