import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes (pid and command line) whose environment holds `ONESIM_TEST_TAG=<tag>`: a command
 * started with that variable and every process it started, wherever they were reparented.
 * Linux only (/proc); tests that use it run there.
 */
export function processesTagged(tag: string): Array<{ pid: number; command: string }> {
  const needle = `ONESIM_TEST_TAG=${tag}\0`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) continue;
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // A zombie (exited, not yet reaped) has an empty command line: it holds nothing.
      if (command !== '') found.push({ pid: Number(name), command });
    } catch {
      // Exited while we looked, or not ours to read.
    }
  }
  return found;
}

/**
 * Polls every 50 ms until `check` returns true or about `timeoutMs` passed; returns the last
 * result. Counts its polls rather than reading a clock (sim/ reads no ambient clock).
 */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (let waitedMs = 0; ; waitedMs += 50) {
    if (check()) return true;
    if (waitedMs >= timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
