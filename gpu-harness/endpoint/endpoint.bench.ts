import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelServer } from '../serve/createModelServer.ts';
import { type BenchEndpointParameters, benchEndpoint } from './benchEndpoint.ts';

/** Endpoint throughput of `serve-model` (tinylm-s, 2 worker threads) measured over HTTP by `bench endpoint`. */
export default async function (): Promise<void> {
  const server = await createModelServer({ modelName: 'tinylm-s', workers: 2 });
  const url = await server.listen(0);
  const base: BenchEndpointParameters = {
    url,
    model: 'tinylm-s',
    scenario: 'single-stream',
    stream: true,
    maxTokens: 16,
    concurrencyMax: 16,
    minDurationMs: 3_000,
    minQueries: 64,
    maxQueries: 100_000,
    targetQps: null,
    latencyBoundMs: 1_000,
    arrivals: 'poisson',
    lagBoundMs: null,
    slo: null,
    seed: 1,
    sampleCount: 64,
    outDir: mkdtempSync(join(tmpdir(), 'onesim-endpoint-bench-')),
  };
  try {
    for (const scenario of ['single-stream', 'offline', 'server'] as const) {
      const b = await benchEndpoint(
        { ...base, scenario, minQueries: scenario === 'single-stream' ? 64 : 256 },
        { gitCommit: 'bench' },
      );
      const r = b.result;
      console.log(
        `serve-model tinylm-s ${scenario}${r.settings.targetQps ? ` @${r.settings.targetQps.toFixed(0)} QPS` : ''}: ${r.throughput.queriesPerSecond.toFixed(1)} req/s, ${r.throughput.tokensPerSecond?.toFixed(0)} tokens/s, latency p50/p90/p99 ${r.latency?.p50Ms.toFixed(1)}/${r.latency?.p90Ms.toFixed(1)}/${r.latency?.p99Ms.toFixed(1)} ms, TTFT p50 ${r.firstToken?.p50Ms.toFixed(1)} ms, ${r.validity.valid ? 'VALID' : 'INVALID'}`,
      );
    }
    console.log(
      'reproduce: npm run bench -- gpu-harness/endpoint/endpoint.bench.ts  (or: npx onesim serve-model --model tinylm-s --workers 2 & npx onesim bench endpoint --url http://127.0.0.1:8000/v1 --model tinylm-s --scenario offline)',
    );
  } finally {
    await server.close();
  }
}
