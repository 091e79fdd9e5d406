import { InputError } from '../protocol/errors.ts';
/**
 * Exit codes shared by every command. Bad input includes infrastructure that failed under the
 * command (a dead RPC node, Anvil exiting, too few keys). Work stopped by a signal exits
 * 128 + its number: `interrupted` after Ctrl-C (SIGINT), 143 after SIGTERM, 129 after SIGHUP.
 */
export const exitCodes = { ok: 0, checkFailed: 1, badInput: 2, interrupted: 130 } as const;

/** Bad flags or input files: the message names the field and the value; exits 2. */
export class UsageError extends InputError {
  override name = 'UsageError';
}
