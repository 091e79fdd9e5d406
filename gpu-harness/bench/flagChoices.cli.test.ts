import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphOptimizationLevels } from '../runtime/sessionOptions.ts';

const root = new URL('../../', import.meta.url).pathname;
const onesim = (args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', 'bench', 'inference', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

/** The choices `onesim bench inference --help` lists for a flag, read from the help text. */
function listedChoices(help: string, flag: string): string[] {
  const line = help.split('\n').find((l) => l.trimStart().startsWith(`${flag} `));
  if (!line) throw new Error(`${flag} is not in --help`);
  const m = /([a-z0-9-]+(?:\|[a-z0-9-]+)+)/.exec(line);
  if (!m) throw new Error(`${flag}'s help line lists no choices: ${line}`);
  return m[1]!.split('|');
}

// Every choice --help lists for the runtime flags works with the other flags at their defaults
// (short runs): each execution provider (falling back to the CPU and saying so on this machine),
// each graph optimisation level and each receipt-signing mode appears in one run.
describe('bench inference: every listed choice of --ep, --graph-opt and --receipt-signing', () => {
  const help = onesim(['--help']).stdout;
  const eps = listedChoices(help, '--ep');
  const levels = listedChoices(help, '--graph-opt');
  const signing = listedChoices(help, '--receipt-signing');

  it('lists what the runtime accepts', () => {
    expect(eps).toEqual(['cpu', 'cuda', 'tensorrt', 'webgpu']);
    expect(levels).toEqual([...graphOptimizationLevels]);
    expect(signing).toEqual(['single', 'batch']);
  });

  it.each(eps.map((ep, i) => [ep, levels[i % levels.length]!, signing[i % signing.length]!]))(
    '--ep %s --graph-opt %s --receipt-signing %s exits 0 with a valid result',
    (ep, level, mode) => {
      const out = mkdtempSync(join(tmpdir(), 'onesim-choices-'));
      const r = onesim([
        '--model',
        'mlp-s',
        '--scenario',
        'single-stream',
        '--ep',
        ep,
        '--graph-opt',
        level,
        '--receipt-signing',
        mode,
        '--duration-ms',
        '100',
        '--min-queries',
        '64',
        '--out',
        out,
        '--json',
      ]);
      expect(r.status, r.stderr.slice(-2000)).toBe(0);
      const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(result.valid).toBe(true);
      expect(result.runtime.requestedProvider).toBe(ep);
      // What ran is reported as what ran: a provider this machine lacks is not claimed.
      if (ep === 'cpu') expect(result.runtime.provider).toBe('cpu');
      if (result.runtime.provider !== ep)
        expect(result.runtime.fallbackReason).toMatch(new RegExp(`^${ep} unavailable\\b`));
      expect(result.parameters).toMatchObject({ graphOptimizationLevel: level });
      expect(r.stdout).toContain(`--receipt-signing ${mode}`);
    },
  );
});
