import { InputError } from '../../protocol/errors.ts';
import type { ExecutionProvider } from './providers.ts';
import { inFlightPerWorkerMax } from './slotLayout.ts';

export const graphOptimizationLevels = ['disabled', 'basic', 'extended', 'all'] as const;
export type GraphOptimizationLevel = (typeof graphOptimizationLevels)[number];

/** Everything that shapes a session; recorded with every result so a run can be repeated. */
export type RuntimeOptions = {
  modelName: string;
  provider: ExecutionProvider;
  intraOpThreads: number;
  interOpThreads: number;
  graphOptimizationLevel: GraphOptimizationLevel;
  warmupIterations: number;
  workers: number;
  /**
   * Queries each worker holds at once (1..16): with 2 or more the next query is already in
   * shared memory when one finishes, so a worker never idles on the hand-off under load.
   */
  inFlightPerWorker: number;
  /** Run the one session on the calling thread instead of a worker thread (needs workers = 1). */
  inline: boolean;
  seed: number;
};

export const defaultRuntimeOptions = {
  provider: 'cpu',
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  warmupIterations: 10,
  workers: 1,
  inFlightPerWorker: 2,
  inline: false,
  seed: 1,
} as const satisfies Omit<RuntimeOptions, 'modelName'>;

/** A bad runtime option; the message names the option and the value. */
export class RuntimeOptionError extends InputError {
  override name = 'RuntimeOptionError';
  declare readonly field: string;
  constructor(
    field: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${field}: expected ${expected}, got ${JSON.stringify(value)}`, field);
  }
}

function intIn(field: string, value: number, min: number, max: number) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RuntimeOptionError(field, value, `an integer in ${min}..${max}`);
  }
}

export function assertRuntimeOptions(o: RuntimeOptions): void {
  intIn('intraOpThreads', o.intraOpThreads, 1, 256);
  intIn('interOpThreads', o.interOpThreads, 1, 256);
  intIn('warmupIterations', o.warmupIterations, 0, 100_000);
  intIn('workers', o.workers, 1, 64);
  intIn('inFlightPerWorker', o.inFlightPerWorker, 1, inFlightPerWorkerMax);
  intIn('seed', o.seed, 0, 2 ** 32 - 1);
  if (typeof o.inline !== 'boolean') throw new RuntimeOptionError('inline', o.inline, 'a boolean');
  if (o.inline && o.workers !== 1)
    throw new RuntimeOptionError('workers', o.workers, '1 with inline');
  if (!graphOptimizationLevels.includes(o.graphOptimizationLevel)) {
    throw new RuntimeOptionError(
      'graphOptimizationLevel',
      o.graphOptimizationLevel,
      graphOptimizationLevels.join('|'),
    );
  }
}
