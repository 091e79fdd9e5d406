import { OnesimError } from '../protocol/errors.ts';
/**
 * Something under the command failed — a node that does not answer, Anvil exiting mid-run, too
 * few keys — rather than the protocol (exit 1) or the user's input as such. The CLI prints the
 * message as one line, puts `{ error: { kind, message } }` in its --json line beside what was
 * checked so far, and exits 2. Subclasses say what failed; the message names it.
 */
export class InfrastructureError extends OnesimError {
  override name = 'InfrastructureError';
  readonly exitCode = 2 as const;
}

/** The `error` field of a --json line: which failure, in one line. */
export function infrastructureErrorJson(e: InfrastructureError): { kind: string; message: string } {
  return { kind: e.name, message: e.message.split('\n')[0]! };
}
