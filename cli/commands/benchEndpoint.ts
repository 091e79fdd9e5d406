import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  type BenchEndpointParameters,
  type BenchEndpointResult,
  benchEndpoint,
  writeEndpointOutputs,
} from '../../gpu-harness/endpoint/benchEndpoint.ts';
import { arrivalKinds, loadgenScenarios } from '../../gpu-harness/loadgen/testSettings.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { onInterrupt } from '../progress.ts';

type Flags = Record<string, string | boolean | undefined>;

/** Flags → parameters; every bad flag is a UsageError naming it (exit 2). */
export function resolveEndpointFlags(f: Flags): BenchEndpointParameters {
  const url = String(f.url ?? '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(url))
    throw new UsageError(
      `--url: expected http(s)://host:port/v1, got ${JSON.stringify(f.url)}`,
      'url',
    );
  const scenario = loadgenScenarios.find((s) => s === f.scenario);
  if (!scenario)
    throw new UsageError(
      `--scenario: expected one of ${loadgenScenarios.join('|')}, got ${JSON.stringify(f.scenario)}`,
      'scenario',
    );
  const model = String(f.model ?? '');
  if (model === '') throw new UsageError('--model: expected the served model name', 'model');
  const int = (key: string, flag: string, fallback: number, min: number, max: number) =>
    typeof f[key] === 'string'
      ? parseNumber(flag, f[key] as string, { integer: true, min, max })
      : fallback;
  const arrivals = arrivalKinds.find((a) => a === (f.arrivals ?? 'poisson'));
  if (!arrivals)
    throw new UsageError(
      `--arrivals: expected one of ${arrivalKinds.join('|')}, got ${JSON.stringify(f.arrivals)}`,
      'arrivals',
    );
  const ms = (key: string, flag: string) =>
    typeof f[key] === 'string' ? parseNumber(flag, f[key] as string, { minExclusive: 0 }) : null;
  const sloTtft = ms('sloTtftMs', '--slo-ttft-ms');
  const sloTpot = ms('sloTpotMs', '--slo-tpot-ms');
  if (sloTtft !== null && f.stream === false)
    throw new UsageError(
      '--slo-ttft-ms: needs streaming (time to first token); drop --no-stream',
      'slo-ttft-ms',
    );
  const p: BenchEndpointParameters = {
    url,
    model,
    scenario,
    stream: f.stream !== false,
    maxTokens: int('maxTokens', '--max-tokens', 16, 1, 1_000_000),
    concurrencyMax: int('concurrency', '--concurrency', 16, 1, 4096),
    minDurationMs: int('durationMs', '--duration-ms', 10_000, 0, 86_400_000),
    minQueries: int(
      'minQueries',
      '--min-queries',
      scenario === 'single-stream' ? 64 : 256,
      1,
      10_000_000,
    ),
    maxQueries: int('maxQueries', '--max-queries', 1_000_000, 1, 10_000_000),
    targetQps:
      typeof f.targetQps === 'string'
        ? parseNumber('--target-qps', f.targetQps, { minExclusive: 0 })
        : null,
    latencyBoundMs:
      typeof f.latencyBoundMs === 'string'
        ? parseNumber('--latency-bound-ms', f.latencyBoundMs, { minExclusive: 0 })
        : 1_000,
    arrivals,
    lagBoundMs: ms('lagBoundMs', '--lag-bound-ms'),
    slo:
      sloTtft === null && sloTpot === null
        ? null
        : { firstTokenMs: sloTtft, timePerOutputTokenMs: sloTpot },
    seed: int('seed', '--seed', 1, 0, 2 ** 32 - 1),
    sampleCount: int('samples', '--samples', 64, 1, 4096),
    outDir:
      typeof f.out === 'string'
        ? f.out
        : join('out', 'bench-endpoint', `${model.replace(/[^A-Za-z0-9._-]/g, '_')}-${scenario}`),
  };
  if (p.maxQueries < p.minQueries)
    throw new UsageError(
      `--max-queries: ${p.maxQueries} is below --min-queries ${p.minQueries}`,
      'max-queries',
    );
  return p;
}

const fmt = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? 'n/a' : v.toFixed(digits);

function report(
  b: BenchEndpointResult,
  paths: { resultPath: string; profilePath: string | null },
): string[] {
  const r = b.result;
  const l = r.latency;
  return [
    `endpoint ${b.parameters.url} model ${b.parameters.model}, ${r.scenario}${r.settings.targetQps ? ` at ${fmt(r.settings.targetQps, 1)} QPS` : ''}: ${r.queriesCompleted} queries in ${fmt(r.wallMs, 0)} ms`,
    `throughput: ${fmt(r.throughput.queriesPerSecond, 1)} requests/s, ${fmt(r.throughput.tokensPerSecond, 1)} tokens/s`,
    `latency ms: p50 ${fmt(l?.p50Ms)} p90 ${fmt(l?.p90Ms)} p99 ${fmt(l?.p99Ms)}`,
    `time to first token ms: p50 ${fmt(r.firstToken?.p50Ms)} p90 ${fmt(r.firstToken?.p90Ms)} p99 ${fmt(r.firstToken?.p99Ms)}; time per output token ms: p50 ${fmt(r.timePerOutputToken?.p50Ms, 3)} p90 ${fmt(r.timePerOutputToken?.p90Ms, 3)}`,
    ...(r.goodput
      ? [
          `goodput: ${r.goodput.met} of ${r.queriesCompleted} requests (${fmt(r.goodput.share * 100, 1)} %) within the SLO (TTFT ≤ ${r.goodput.firstTokenMs ?? '∞'} ms, TPOT ≤ ${r.goodput.timePerOutputTokenMs ?? '∞'} ms): ${fmt(r.goodput.requestsPerSecond, 2)} requests/s`,
        ]
      : []),
    ...(r.generator.sendLag
      ? [
          `load generator: send lag p50 ${fmt(r.generator.sendLag.p50Ms, 3)} ms p99 ${fmt(r.generator.sendLag.p99Ms, 3)} ms (bound ${fmt(r.generator.lagBoundMs)} ms), sent ${fmt(r.generator.sentQps, 1)} QPS for ${fmt(r.generator.scheduledQps, 1)} scheduled (${b.parameters.arrivals} arrivals)`,
        ]
      : []),
    ...(r.generator.clientOverhead
      ? [
          `client overhead per request: p50 ${fmt(r.generator.clientOverhead.p50Ms, 3)} ms p99 ${fmt(r.generator.clientOverhead.p99Ms, 3)} ms`,
        ]
      : []),
    `result is ${r.validity.valid ? 'VALID' : 'INVALID'}${r.validity.reasons.length ? `: ${r.validity.reasons.join('; ')}` : ''}`,
    `wrote ${paths.resultPath}${paths.profilePath ? ` and ${paths.profilePath} (use with --workers-from)` : ''}`,
    `reproduce: ${b.command}`,
  ];
}

async function action(flags: Flags): Promise<void> {
  const parameters = resolveEndpointFlags(flags);
  const interrupt = onInterrupt();
  setMaxListeners(0, interrupt.signal);
  try {
    const bench = await benchEndpoint(parameters, {
      gitCommit: gitCommit(),
      signal: interrupt.signal,
    });
    const paths = writeEndpointOutputs(bench);
    for (const line of report(bench, paths)) process.stdout.write(`${line}\n`);
    if (flags.json) process.stdout.write(`${JSON.stringify(bench)}\n`);
    process.exitCode = bench.valid ? exitCodes.ok : exitCodes.checkFailed;
  } finally {
    interrupt.dispose();
  }
}

/** `onesim bench endpoint`: LoadGen scenarios against any OpenAI-compatible server. */
export function registerBenchEndpoint(program: Command): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  bench
    .command('endpoint')
    .description(
      'Benchmark an OpenAI-compatible endpoint (SingleStream, Server or Offline) and write a capacity profile',
    )
    .requiredOption('--url <url>', 'base URL of the API, e.g. http://127.0.0.1:8000/v1')
    .requiredOption('--model <name>', 'model name the endpoint serves')
    .requiredOption('--scenario <name>', loadgenScenarios.join('|'))
    .option('--no-stream', 'plain JSON responses (no time to first token)')
    .option('--max-tokens <n>', 'max_tokens of each request (default 16)')
    .option('--concurrency <n>', 'requests in flight at once (default 16)')
    .option('--duration-ms <n>', 'minimum duration (default 10000)')
    .option(
      '--min-queries <n>',
      'minimum query count (default: single-stream 64, server/offline 256)',
    )
    .option('--max-queries <n>', 'hard bound on queries')
    .option(
      '--target-qps <q>',
      'server: arrival rate (default: half the measured offline rate); offline: expected samples/s',
    )
    .option('--latency-bound-ms <l>', 'server p99 latency bound (default 1000)')
    .option('--arrivals <kind>', `server arrivals: ${arrivalKinds.join('|')} (default poisson)`)
    .option(
      '--lag-bound-ms <l>',
      'server: p99 send lag beyond which the client is behind and the run INVALID (default 25 % of the bound, at least 2)',
    )
    .option('--slo-ttft-ms <t>', 'goodput: time to first token each request must meet')
    .option('--slo-tpot-ms <t>', 'goodput: time per output token each request must meet')
    .option('--seed <s>', 'seed of prompts and arrivals (default 1)')
    .option('--samples <n>', 'distinct prompts (default 64)')
    .option('--out <dir>', 'output folder (default out/bench-endpoint/<model>-<scenario>)')
    .option('--json', 'print the result as one JSON object on the last stdout line')
    .action(action);
}
