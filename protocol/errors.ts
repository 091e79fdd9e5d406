/**
 * The base of every error onesim reports to a user without a stack: a message naming the field
 * and the value, the field itself when there is one, and the exit code the CLI ends with (the
 * CLI maps it in one place, cli/main.ts). Bugs are plain Errors and keep their stack.
 */
export abstract class OnesimError extends Error {
  /** 1: a check failed; 2: bad input, or infrastructure that failed under the command. */
  abstract readonly exitCode: 1 | 2;
  /** The flag, file field or parameter the message names, when there is one. */
  readonly field?: string;
  constructor(message: string, field?: string, options?: ErrorOptions) {
    super(message, options);
    if (field !== undefined)
      Object.defineProperty(this, 'field', { value: field, enumerable: true });
  }
}

/** Bad input: a flag, a file, a parameter, a value out of range (exit 2). */
export class InputError extends OnesimError {
  override name = 'InputError';
  readonly exitCode = 2 as const;
}
