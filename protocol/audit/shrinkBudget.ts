import fc from 'fast-check';

/**
 * fast-check shrinks synchronously: once a property fails it keeps running the predicate on
 * smaller candidates until none fails, and a test runner's timeout cannot interrupt it. With a
 * predicate that runs a whole random protocol run, that can take hours. This plugin gives up
 * shrinking once `budgetMs` have passed since the first failure: fast-check then reports the
 * smallest counterexample found so far, with its seed and replay path, as usual.
 */
export interface ShrinkBudgetOptions {
  /** Time allowed for shrinking after the first failure. */
  budgetMs: number;
  /**
   * The clock the budget is read on (protocol/ reads none: `onesim audit` passes
   * performance.now; the property suites' helper in protocol/testing/shrinkBudget.ts too).
   */
  clockMs: () => number;
  /** Called once when the budget runs out (how many failing candidates shrinking had found). */
  onGiveUp?: (shrinks: number) => void;
  /**
   * Throw a ShrinkBudgetError (the usual report, saying that shrinking gave up) when the budget
   * ran out: default true, what fc.assert needs. fc.check callers that read the run details
   * themselves pass false.
   */
  report?: boolean;
}

const isFailure = (out: unknown): boolean =>
  out !== null && typeof out === 'object' && !fc.PreconditionFailure.isFailure(out);

/**
 * A fast-check plugin (pass it in `plugins`) that bounds shrinking by time. It never looks at
 * the values, so it fits any property (typed `any` for that reason: fast-check's plugin type is
 * invariant in the property's value types).
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; the values pass through untouched.
export function shrinkBudget<Ts = any>(o: ShrinkBudgetOptions): fc.Plugin<Ts> {
  return () => {
    const { budgetMs, clockMs: clock } = o;
    let failedAt: number | null = null;
    let failures = 0;
    let gaveUp = false;
    return {
      decorateRun: (run) => (value) => {
        if (gaveUp) return new fc.PreconditionFailure(true);
        if (failedAt !== null && clock() - failedAt >= budgetMs) {
          gaveUp = true;
          o.onGiveUp?.(failures - 1);
          return new fc.PreconditionFailure(true);
        }
        const out = run(value);
        if (isFailure(out)) {
          failures += 1;
          failedAt ??= clock();
        }
        return out;
      },
      onAllRunsComplete: (details) => {
        if (!gaveUp || !details.failed || o.report === false) return;
        throw new ShrinkBudgetError(details as fc.RunDetails<unknown>, budgetMs);
      },
    };
  };
}

/** A property that failed and whose shrinking ran out of time: the best counterexample so far. */
export class ShrinkBudgetError extends Error {
  override name = 'ShrinkBudgetError';
  constructor(
    readonly details: fc.RunDetails<unknown>,
    readonly budgetMs: number,
  ) {
    super(
      `shrinking gave up after ${(budgetMs / 1000).toFixed(1)} s; the counterexample below is the smallest found so far. Replay it with { seed: ${details.seed}, path: ${JSON.stringify(details.counterexamplePath)}, endOnFailure: true }.\n${fc.defaultReportMessage(details) ?? ''}`,
    );
  }
}
