import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's default order runs the slowest file first (and the last failure first). Stryker stops
 * a mutant's run at the first failing test, so run the cheap example tests first and the
 * property suite (seconds per test) last: most mutants die in milliseconds.
 */
class CheapFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // protocol/modules.test.ts first: it turns a module that fails to load into a failed test.
    const rank = (f: TestSpecification) =>
      f.moduleId.endsWith('/protocol/modules.test.ts')
        ? 0
        : f.moduleId.includes('.property.test.')
          ? 2
          : 1;
    return [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

/**
 * The test run Stryker uses to judge each mutant of protocol/: only protocol's own tests
 * (not the Solidity compile in protocol/contracts), generous timeouts for the property suites.
 * Property suites run ONESIM_FC_RUNS = 30 random cases (150 in `npm test`) and skip shrinking
 * (vitest.mutation.setup.ts); see docs/auditing.md, "Mutation testing".
 */
const unitTests = {
  include: ['protocol/**/*.test.ts'],
  exclude: ['node_modules/**', 'out/**', '.stryker-tmp/**', 'protocol/contracts/**'],
  setupFiles: ['./vitest.mutation.setup.ts'],
  env: { ONESIM_MUTATION: '1', ONESIM_FC_RUNS: process.env.ONESIM_FC_RUNS ?? '30' },
  sequence: { sequencer: CheapFirst },
};

/**
 * ONESIM_MUTATION_SUITE=audit (scripts/mutation.mjs audit-handlers): the audit alone judges each
 * mutant, a default `onesim audit --runs 200 --seed 1` (sim/audit/auditOnly.mutation.ts), so its
 * score can be set beside the unit tests' (docs/auditing.md).
 */
const auditOnly = {
  include: ['sim/audit/auditOnly.mutation.ts'],
  exclude: ['node_modules/**', 'out/**', '.stryker-tmp/**'],
};

export default defineConfig({
  test: {
    ...(process.env.ONESIM_MUTATION_SUITE === 'audit' ? auditOnly : unitTests),
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
