import { describe } from 'vitest';
import { isBenchCommand, itRunsAsShown, readmeCommands } from './testing/readmeCommands.ts';

/**
 * The README's `npx onesim bench …` and `npx onesim verify …` lines run as shown, in order (verify
 * reads what a bench line wrote). Their results judge their own timing, so vitest.config.ts runs
 * this file with the timing-sensitive ones, alone; cli/readme.test.ts runs the other lines.
 */
describe('README commands: bench and verify', () => {
  itRunsAsShown(readmeCommands().filter(isBenchCommand));
});
