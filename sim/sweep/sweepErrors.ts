import { InputError } from '../../protocol/errors.ts';

/** A bad sweep specification: names the flag or grid key and the value (exit 2). */
export class SweepSpecError extends InputError {
  override name = 'SweepSpecError';
  declare readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, field);
  }
}
