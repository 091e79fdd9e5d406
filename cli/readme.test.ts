import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './testing/runCli.ts';

/**
 * The README is the manual: every `npx onesim …` line in its shell blocks runs as shown, through
 * `main` in this process as bin/onesim.js would call it (the launcher itself is run as a process
 * by cli/commands/run.test.ts, cli/interrupt.test.ts and cli/package.test.ts).
 */
function readmeCommands(): string[] {
  const text = readFileSync('README.md', 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npx onesim '));
}

describe('README commands', () => {
  const commands = readmeCommands();

  it('lists the main job first', () => {
    expect(commands[0]).toBe('npx onesim run baseline');
  });

  for (const command of commands) {
    it(`${command} exits 0`, { timeout: 300_000 }, async () => {
      const args = command.replace(/^npx onesim /, '').split(/\s+/);
      const r = await runCli(args);
      expect(r.status, `${r.stdout.slice(-1000)}\n${r.stderr.slice(-2000)}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }
});
