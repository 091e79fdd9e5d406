import { resolveParams } from '../../protocol/index.ts';
import { parseScenario, type Scenario } from '../scenario/scenarioSchema.ts';
import { SweepSpecError } from './sweepErrors.ts';

const scaled = (n: number, f: number): number => (n === 0 ? 0 : Math.max(1, Math.round(n * f)));

/**
 * The same network at another size: holders, workers and sponsors × factor (at least one each
 * that existed), and the treasury and the Included budget cap with them, so per-capita
 * economics (σ, income per worker, load) stay about the same. 1 = unchanged.
 */
export function scaleScenario(s: Scenario, factor: number): Scenario {
  if (!(factor > 0 && factor <= 100))
    throw new SweepSpecError('--scale', `${factor} must be in (0, 100]`);
  if (factor === 1) return s;
  const params = resolveParams(s.params);
  return parseScenario(
    {
      ...s,
      params: {
        ...s.params,
        includedBudgetMaxMicroUsdc: String(
          BigInt(Math.max(1, Math.round(Number(params.includedBudgetMaxMicroUsdc) * factor))),
        ),
      },
      treasuryGenesisUsdc: s.treasuryGenesisUsdc * factor,
      holders: { ...s.holders, count: scaled(s.holders.count, factor) },
      workers: { ...s.workers, count: scaled(s.workers.count, factor) },
      sponsors: { ...s.sponsors, count: scaled(s.sponsors.count, factor) },
    },
    `${s.name} at scale ${factor}`,
  );
}
