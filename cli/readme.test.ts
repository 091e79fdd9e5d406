import { describe, expect, it } from 'vitest';
import { isBenchCommand, itRunsAsShown, readmeCommands } from './testing/readmeCommands.ts';

/**
 * The README is the manual: every `npx onesim …` line in its shell blocks runs as shown. The
 * bench and verify lines are in cli/readmeBench.test.ts; the rest are here.
 */
describe('README commands', () => {
  const commands = readmeCommands();

  it('lists the main job first', () => {
    expect(commands[0]).toBe('npx onesim run baseline');
  });

  it('has bench and verify lines, run by cli/readmeBench.test.ts', () => {
    expect(commands.filter(isBenchCommand).length).toBeGreaterThan(0);
  });

  itRunsAsShown(commands.filter((c) => !isBenchCommand(c)));
});
