import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files whose assertions judge a load generator's own timing (a Server run is INVALID when the
 * client falls behind its schedule; the README's bench commands must exit 0): they run after
 * everything else, one file at a time, so no other test file competes with them for the CPU.
 */
const timingSensitive = [
  'cli/readmeBench.test.ts',
  'gpu-harness/bench/**/*.test.ts',
  'gpu-harness/loadgen/**/*.test.ts',
  'gpu-harness/endpoint/**/*.test.ts',
];
const exclude = [...configDefaults.exclude, 'out/**', '.stryker-tmp/**', 'dist/**'];

export default defineConfig({
  test: {
    exclude,
    // Property suites and CLI tests spawn processes; two cores in CI.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: [...exclude, ...timingSensitive],
          // Vitest's default is one worker fewer than the cores: a single worker on CI's two.
          // Most files here wait on child processes (Anvil, the CLI, npm), so two overlap well.
          maxWorkers: Math.max(2, availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'timing',
          include: timingSensitive,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
