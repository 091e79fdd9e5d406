import {
  binomialCdf,
  minPassingQueries,
  serverEarlyStopping,
  singleStreamEarlyStopping,
} from './loadgen/earlyStopping.ts';

const T = { percentile: 0.9, confidence: 0.99 };
console.log(
  'hmin(1)',
  minPassingQueries(1, T),
  'server h(0) p99',
  minPassingQueries(0, { percentile: 0.99, confidence: 0.99 }),
);
for (const n of [63, 64, 2048, 2116, 2145, 7469, 4776846]) {
  const arr = Array.from({ length: n }, (_, i) => i);
  const t0 = performance.now();
  const r = singleStreamEarlyStopping(arr, T);
  console.log(n, r.passed, r.discarded, (performance.now() - t0).toFixed(1));
}
console.log(
  serverEarlyStopping(459, 0, { percentile: 0.99, confidence: 0.99 }),
  serverEarlyStopping(458, 0, { percentile: 0.99, confidence: 0.99 }),
  serverEarlyStopping(1000, 3, { percentile: 0.99, confidence: 0.99 }),
);
console.log(binomialCdf(1, 64, 0.1), binomialCdf(1, 63, 0.1));
