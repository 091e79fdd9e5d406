import { plantedBugs } from '../../protocol/audit/plantedBugs.ts';
import type { StepFn } from '../../protocol/audit/randomRun.ts';

export { plantedBugs };

export class UnknownMutantError extends Error {
  override name = 'UnknownMutantError';
  constructor(readonly mutant: string) {
    super(
      `unknown planted bug ${JSON.stringify(mutant)}; known: ${Object.keys(plantedBugs).join(', ')}`,
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
