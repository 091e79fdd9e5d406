import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { runCli } from '../testing/runCli.ts';

/**
 * Every named scenario `onesim scenarios` lists runs live (`onesim live <name>`, the choice its
 * --help offers) for one simulated day: the model and the contracts agree and the live model ends
 * where the simulation did. Read from the registry, so a new scenario is covered when it is
 * added. A small --scale keeps most runs to 7–17 s each (its own Anvil, one at a time; measured
 * on a loaded 2-core machine). bench-capacity is the exception: its 20-CU jobs make ~30× the
 * receipts of the others for the same demand (303k jobs, 34k audit verdicts at ~10k distinct
 * seconds, each a block), so its day takes minutes live; hence the long per-case timeout.
 */
const scale = '0.02';
const caseTimeoutMs = 900_000;
// npm test runs the two that differ in kind (ONE's rules; Ratio1's, run as its 'one' cell), so
// the suite fits CI's budget; `npm run test:long` (ONESIM_LONG_TESTS=1) runs every scenario
// (about 3 minutes, bench-capacity's day longer).
const long = process.env.ONESIM_LONG_TESTS === '1';
// Scenarios with deployments are refused live (exit 2 naming `deployments`: liveDeployments.test.ts).
const names = long
  ? Object.keys(scenarios).filter((n) => !('deployments' in scenarios[n]!))
  : Object.keys(scenarios).filter((n) => n === 'baseline' || n === 'presence-vs-work');

describe('onesim live <named scenario> --days 1', () => {
  it.each(names)(
    '%s: model and contracts agree',
    async (name) => {
      const r = await runCli(['live', name, '--days', '1', '--scale', scale, '--json']);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect({ status: r.status, divergence: out.divergence, error: out.error }, r.stderr).toEqual({
        status: 0,
        divergence: null,
        error: null,
      });
      expect(out).toMatchObject({ ok: true, days: 1, interrupted: false });
      expect(out.simulation.modelMatchesSimulation).toBe(true);
      expect(out.actions).toBeGreaterThan(0);
      expect(out.chainAcceptedByType.startDay).toBeGreaterThanOrEqual(1);
      // Under rules the contracts lack (Ratio1's), the run is ONE's cell and says so.
      const rules = (scenarios[name]!.params as { rewardRules?: string } | undefined)?.rewardRules;
      if (rules !== undefined && rules !== 'one')
        expect(out.notes.join(' ')).toMatch(/runs its "one" cell/);
    },
    caseTimeoutMs,
  );
});
