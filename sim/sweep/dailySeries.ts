import type { MetricsRow } from '../metrics/metricsCollector.ts';

type Reducer = 'last' | 'max' | 'min' | 'mean' | 'sum';

/** How each metrics.csv column becomes one number a day; columns not listed (new ones) use the mean. */
const reducers: Record<string, Reducer> = {
  treasuryUsdc: 'last',
  sigma: 'min',
  creditsIssuedCu: 'max',
  creditsUsedCu: 'max',
  includedQueued: 'max',
  dedicatedQueued: 'max',
  running: 'mean',
  waitIncludedMsP50: 'max',
  waitIncludedMsP95: 'max',
  waitIncludedMsP99: 'max',
  waitDedicatedMsP50: 'max',
  waitDedicatedMsP95: 'max',
  waitDedicatedMsP99: 'max',
  utilisation: 'mean',
  submitted: 'sum',
  completed: 'sum',
  expired: 'sum',
  failed: 'sum',
  denied: 'sum',
  workerIncomeUsdc: 'sum',
  activeWorkers: 'last',
  activeHolders: 'last',
};

export const dailyReducer = (column: string): Reducer => reducers[column] ?? 'mean';

function reduce(values: number[], r: Reducer): number {
  switch (r) {
    case 'last':
      return values.at(-1)!;
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

/** column → one value per day (the interval ending at tMs belongs to day ⌊(tMs − 1) / dayMs⌋), 6 significant digits. */
export function dailySeries(rows: readonly MetricsRow[], dayMs: number): Record<string, number[]> {
  const byDay: MetricsRow[][] = [];
  for (const r of rows) {
    const d = Math.floor((r.tMs - 1) / dayMs);
    byDay[d] = [...(byDay[d] ?? []), r];
  }
  const columns =
    rows.length === 0 ? [] : Object.keys(rows[0]!).filter((k) => k !== 'tMs' && k !== 'day');
  const out: Record<string, number[]> = {};
  for (const c of columns) {
    out[c] = Array.from(byDay, (day) => {
      const v = (day ?? []).map((r) => (r as unknown as Record<string, number>)[c]!);
      return v.length === 0 ? 0 : Number(reduce(v, dailyReducer(c)).toPrecision(6));
    });
  }
  return out;
}
