import fc from 'fast-check';
import {
  ShrinkBudgetError,
  type ShrinkBudgetOptions,
  shrinkBudget as shrinkBudgetOn,
} from '../audit/shrinkBudget.ts';

export { ShrinkBudgetError };

/** The default budget: ONESIM_FC_SHRINK_MS, else 20 s, well inside vitest's 60 s test timeout. */
export const defaultShrinkBudgetMs = (): number => {
  const env = Number(process.env.ONESIM_FC_SHRINK_MS);
  return Number.isFinite(env) && env >= 0 ? env : 20_000;
};

/**
 * The property suites' shrink budget (protocol/audit/shrinkBudget.ts) on the wall clock
 * (performance.now) and, unless given, ONESIM_FC_SHRINK_MS.
 */
// biome-ignore lint/suspicious/noExplicitAny: fast-check's plugin type is invariant in the values.
export function shrinkBudget<Ts = any>(
  o: Partial<Pick<ShrinkBudgetOptions, 'budgetMs' | 'clockMs'>> &
    Omit<ShrinkBudgetOptions, 'budgetMs' | 'clockMs'> = {},
): fc.Plugin<Ts> {
  return shrinkBudgetOn<Ts>({
    ...o,
    budgetMs: o.budgetMs ?? defaultShrinkBudgetMs(),
    clockMs: o.clockMs ?? (() => performance.now()),
  });
}

/**
 * fc.assert with shrinking bounded by time (and the usual report): what every property suite
 * that runs whole protocol runs should use.
 */
export function assertProperty<Ts>(
  property: fc.IProperty<Ts>,
  params: fc.Parameters<Ts> & { shrinkBudgetMs?: number } = {},
): void {
  const { shrinkBudgetMs, plugins, ...rest } = params;
  fc.assert(property, {
    ...rest,
    plugins: [...(plugins ?? []), shrinkBudget<Ts>({ budgetMs: shrinkBudgetMs })],
  });
}
