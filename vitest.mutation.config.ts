import { defineConfig } from 'vitest/config';

/**
 * The test run Stryker uses to judge each mutant of protocol/: only protocol's own tests
 * (not the Solidity compile in protocol/contracts), generous timeouts for the property suites.
 */
export default defineConfig({
  test: {
    include: ['protocol/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', '.stryker-tmp/**', 'protocol/contracts/**'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
