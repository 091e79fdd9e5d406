import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCapacityProfile } from '../profile/capacityProfile.ts';

const root = new URL('../../', import.meta.url).pathname;
const onesim = (args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });

let server: ChildProcess;
let url: string;
let serverOut = '';

beforeAll(async () => {
  server = spawn(
    process.execPath,
    [
      'bin/onesim.js',
      'serve-model',
      '--model',
      'tinylm-s',
      '--port',
      '0',
      '--workers',
      '2',
      '--json',
    ],
    { cwd: root },
  );
  url = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      serverOut += chunk.toString();
      const m = /at (http:\S+)/.exec(serverOut);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`serve-model exited ${code}`)));
  });
});
afterAll(() => {
  if (server.exitCode === null) server.kill('SIGTERM');
});

describe('onesim bench endpoint against onesim serve-model (CLI)', () => {
  it('measures single-stream with streaming: tokens/s, time to first token, a capacity profile', () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-endpoint-'));
    const r = onesim([
      'bench',
      'endpoint',
      '--url',
      url,
      '--model',
      'tinylm-s',
      '--scenario',
      'single-stream',
      '--duration-ms',
      '200',
      '--min-queries',
      '64',
      '--max-tokens',
      '8',
      '--slo-ttft-ms',
      '60000',
      '--slo-tpot-ms',
      '60000',
      '--out',
      out,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/goodput: (\d+) of \1 requests \(100\.0 %\) within the SLO/);
    const lines = r.stdout.trim().split('\n');
    expect(r.stdout).toContain('reproduce: npx onesim bench endpoint');
    const bench = JSON.parse(lines.at(-1)!);
    expect(bench.valid).toBe(true);
    expect(bench.result.throughput.tokensPerSecond).toBeGreaterThan(0);
    expect(bench.result.firstToken.count).toBe(bench.result.queriesCompleted);
    const profile = parseCapacityProfile(readFileSync(join(out, 'capacity-profile.json'), 'utf8'));
    expect(profile.entries[0]).toMatchObject({
      modelName: 'tinylm-s',
      scenario: 'single-stream',
      valid: true,
    });
  });

  it('runs the server scenario at a given QPS without streaming', () => {
    const out = mkdtempSync(join(tmpdir(), 'onesim-endpoint-'));
    const r = onesim([
      'bench',
      'endpoint',
      '--url',
      url,
      '--model',
      'tinylm-s',
      '--scenario',
      'server',
      '--target-qps',
      '20',
      '--arrivals',
      'constant',
      '--duration-ms',
      '300',
      '--min-queries',
      '8',
      '--no-stream',
      '--out',
      out,
      '--json',
    ]);
    expect([0, 1]).toContain(r.status);
    const bench = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(bench.result.queriesCompleted).toBeGreaterThanOrEqual(8);
    expect(bench.result.firstToken).toBeNull();
    expect(bench.parameters.arrivals).toBe('constant');
    expect(bench.result.generator.scheduledQps).toBeCloseTo(20, 6);
    expect(bench.result.generator.sendLag.count).toBe(bench.result.queriesCompleted);
    expect(r.stdout).toMatch(/load generator: send lag p50 [\d.]+ ms p99 [\d.]+ ms/);
  });

  it('exits 2 naming the bad flag', () => {
    const r = onesim([
      'bench',
      'endpoint',
      '--url',
      'ftp://x',
      '--model',
      'tinylm-s',
      '--scenario',
      'offline',
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--url');
    const slo = onesim([
      'bench',
      'endpoint',
      '--url',
      'http://127.0.0.1:1/v1',
      '--model',
      'x',
      '--scenario',
      'server',
      '--no-stream',
      '--slo-ttft-ms',
      '100',
    ]);
    expect(slo.status).toBe(2);
    expect(slo.stderr).toContain('--slo-ttft-ms: needs streaming');
    const arrivals = onesim([
      'bench',
      'endpoint',
      '--url',
      'http://127.0.0.1:1/v1',
      '--model',
      'x',
      '--scenario',
      'server',
      '--arrivals',
      'bursty',
    ]);
    expect(arrivals.status).toBe(2);
    expect(arrivals.stderr).toContain('--arrivals: expected one of poisson|constant, got "bursty"');
  });

  it('serve-model stops on SIGTERM and prints one JSON object last', async () => {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    const last = JSON.parse(serverOut.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ model: 'tinylm-s', signal: 'SIGTERM', errors: 0 });
    expect(last.completions).toBeGreaterThanOrEqual(72);
  });
});
