import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runCli } from './runCli.ts';

/** Every `npx onesim …` line in the README's shell blocks, in order. */
export function readmeCommands(): string[] {
  const text = readFileSync('README.md', 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.startsWith('npx onesim '));
}

const argsOf = (command: string) => command.replace(/^npx onesim /, '').split(/\s+/);

/**
 * `onesim bench …` and `onesim verify …` (which reads a bench's receipts): their results judge
 * their own timing, so cli/readmeBench.test.ts runs them with the timing-sensitive files.
 */
export const isBenchCommand = (command: string) =>
  ['bench', 'verify'].includes(argsOf(command)[0]!);

/**
 * One test per command: it runs as shown, through `main` in this process as bin/onesim.js would
 * call it (the launcher itself runs as a process in cli/commands/run.test.ts, cli/interrupt.test.ts
 * and cli/package.test.ts), exits 0 and prints something.
 */
export function itRunsAsShown(commands: string[]): void {
  for (const command of commands) {
    it(`${command} exits 0`, { timeout: 300_000 }, async () => {
      const r = await runCli(argsOf(command));
      expect(r.status, `${r.stdout.slice(-1000)}\n${r.stderr.slice(-2000)}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }
}
