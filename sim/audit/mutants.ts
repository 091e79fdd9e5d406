import { plantedBugs } from '../../protocol/audit/plantedBugs.ts';
import type { StepFn } from '../../protocol/audit/randomRun.ts';
import { InputError } from '../../protocol/errors.ts';

export { plantedBugs };

/** A planted bug's name that is not one (it comes from ONESIM_AUDIT_MUTANT; exit 2). */
export class UnknownMutantError extends InputError {
  override name = 'UnknownMutantError';
  constructor(readonly mutant: string) {
    super(
      `ONESIM_AUDIT_MUTANT: unknown planted bug ${JSON.stringify(mutant)}; known: ${Object.keys(plantedBugs).join(', ')}`,
      'ONESIM_AUDIT_MUTANT',
    );
  }
}

/** The step under test: the real one, or a planted bug by name. */
export function stepUnderTest(mutant: string | undefined): StepFn | undefined {
  if (mutant === undefined || mutant === '') return undefined;
  const fn = plantedBugs[mutant];
  if (!fn) throw new UnknownMutantError(mutant);
  return fn;
}
