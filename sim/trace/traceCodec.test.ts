import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../protocol/actionSchema.ts';
import {
  type Action,
  createState,
  type Hex,
  type Job,
  resolveParams,
  simVerifier,
  step,
} from '../../protocol/index.ts';
import { replayTrace } from '../run/replayTrace.ts';
import { runSimulation } from '../run/runSimulation.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { TraceDecoder, TraceEncoder } from './traceCodec.ts';
import { TRACE_FORMAT, TraceWriter } from './traceFile.ts';

// Format 3's compact lines: every action a run writes comes back exactly from its line and the
// state before it, and the lines are short.
const dir = mkdtempSync(join(tmpdir(), 'onesim-codec-'));
/** JSON with keys sorted (the codec rebuilds fields, not their order) and bigints as strings. */
const sorted = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint'
      ? `${x}n`
      : x && typeof x === 'object' && !Array.isArray(x)
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
        : x,
  );

async function recordRun(days: number) {
  const accepted: Array<{ atMs: number; action: Action }> = [];
  const path = join(dir, `run-${days}.trace.gz`);
  // Lazy and flapping workers and every receipt audited: fake results, verdicts and colluding
  // oracles' covers all appear in the trace.
  const scenario = tinyScenario({
    params: { auditSampleRate: { num: '1', den: '2' } },
    oracles: { count: 5, colluding: 2 },
    adversaries: {
      lazyWorkers: { count: 1, fakeShare: 0.5, savingUsdcPerFakedJob: 0.001 },
      flappingWorkers: { count: 1, onMinutes: 30, offMinutes: 10 },
    },
  });
  const writer = new TraceWriter(path, {
    format: TRACE_FORMAT,
    scenario: scenario.name,
    seed: '3',
    days,
    commit: 'test',
    params: JSON.parse(toJsonText(resolveParams(scenario.params))),
  });
  const sink = {
    write(atMs: number, action: Action, events?: Parameters<TraceWriter['write']>[2]) {
      accepted.push({ atMs, action: structuredClone(action) });
      writer.write(atMs, action, events);
    },
  };
  const record = await runSimulation({
    scenario,
    seed: '3',
    days,
    commit: 'test',
    trace: sink,
    onReady: (sim) => writer.checkpointFrom(sim.state),
  });
  writer.close({ end: true, actions: writer.count, stateHash: record.finalStateHash });
  return { path, accepted, record, scenario };
}

describe('trace format 3', () => {
  it('decodes every action of a simulated run exactly, from its line and the state before it', async () => {
    const { path, accepted, record, scenario } = await recordRun(2);
    const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').slice(1, -1);
    const actionLines = lines.filter(
      (l) => !l.startsWith('{"checkpoint') && !l.startsWith('{"end'),
    );
    expect(actionLines.length).toBe(accepted.length);
    const compact = actionLines.filter((l) => TraceDecoder.isCompact(l));
    // Most actions of a run are predictable: the compact lines are the bulk, and short.
    expect(compact.length / actionLines.length).toBeGreaterThan(0.9);
    expect(compact.reduce((n, l) => n + l.length, 0) / compact.length).toBeLessThan(12);
    const state = createState(resolveParams(scenario.params));
    const decoder = new TraceDecoder();
    actionLines.forEach((line, i) => {
      let got: { atMs: number; action: Action };
      if (TraceDecoder.isCompact(line)) got = decoder.decode(line, state);
      else {
        const j = JSON.parse(line) as { atMs: number };
        got = accepted[i]!;
        decoder.observe(j.atMs, got.action);
      }
      expect(sorted(got), `line ${i}: ${line}`).toBe(sorted(accepted[i]));
      expect(step(state, got.action, got.atMs, { verifier: simVerifier }).ok).toBe(true);
    });
    const r = await replayTrace(path);
    expect(compact.some((l) => /C[^,]*,[^,]*,f$/.test(l))).toBe(true); // a fake result
    expect(compact.some((l) => /V.*,s$/.test(l))).toBe(true); // a colluding oracle's cover
    expect(r).toMatchObject({ matches: true, actions: accepted.length });
    expect(r.stateHash).toBe(record.finalStateHash);
  });

  it('writes JSON for what it cannot predict, and a bare code for a dispatch or expiry', () => {
    const params = resolveParams({});
    const state = createState(params);
    const enc = new TraceEncoder();
    const odd: Action = {
      type: 'deposit',
      account: `0x${'1'.repeat(40)}`,
      asset: 'usdc',
      amount: 5n,
    };
    expect(step(state, odd, 10, { verifier: simVerifier }).ok).toBe(true);
    expect(JSON.parse(enc.encode(10, odd, state))).toEqual(
      JSON.parse(toJsonText({ atMs: 10, action: odd })),
    );
    expect(enc.encode(12, { type: 'dispatch' }, state)).toBe('2D');
    expect(enc.encode(12, { type: 'expireJobs' }, state)).toBe('X');
  });

  it('reads the time step and code of a line, and refuses a line without a code or with an unknown one', () => {
    const state = createState(resolveParams({}));
    const dec = new TraceDecoder();
    expect(dec.decode('2D', state)).toEqual({ atMs: 2, action: { type: 'dispatch' } });
    expect(dec.decode('D', state)).toEqual({ atMs: 2, action: { type: 'dispatch' } });
    expect(dec.decode('zX', state)).toEqual({ atMs: 37, action: { type: 'expireJobs' } });
    for (const line of ['', '12', 'zz', '-1D', '1 D', '1.D', '\u00e9D'])
      expect(() => dec.decode(line, state), line).toThrow(/not a compact action line/);
    expect(() => dec.decode('3Q1,2', state)).toThrow(/unknown action code Q/);
  });

  it('reads the fields of a line, and refuses one without the fields its code needs', () => {
    const state = createState(resolveParams({}));
    const requestHash = `0x${'12'.repeat(32)}` as Hex;
    state.jobs.set(7, { id: 7, requestHash, resultHash: null } as unknown as Job);
    const oracle = `0x${'ab'.repeat(20)}`;
    const dec = new TraceDecoder();
    expect(dec.decode(`V~${oracle.slice(2)},7,r`, state).action).toEqual({
      type: 'auditVerdict',
      oracle,
      jobId: 7,
      resultHash: requestHash,
    });
    // The oracle by its dictionary index now, the job id as a step from the last verdict's.
    expect(dec.decode(`V0,0,~${'cd'.repeat(32)}`, state).action).toMatchObject({
      oracle,
      jobId: 7,
      resultHash: `0x${'cd'.repeat(32)}`,
    });
    expect(() => dec.decode('V0,0', state)).toThrow(/V: no result field/);
    expect(() => dec.decode('V0,0,', state)).toThrow(/V: no result field/);
    expect(() => dec.decode('S', state)).toThrow(/dictionary index/);
    expect(() => dec.decode('C', state)).toThrow(/C: job NaN/);
  });
  it('predicts request counters exactly past 2^53, where they stop being exact numbers', () => {
    const state = createState(resolveParams({}));
    const enc = new TraceEncoder();
    const dec = new TraceDecoder();
    const hex = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as Hex;
    const start = 2n ** 53n - 3n;
    const hashes = [0n, 1n, 2n, 3n, 4n, 5n].map((i) => hex(start + i));
    hashes.push(hex(2n ** 256n - 2n), hex(2n ** 256n - 1n), hex(7n), hex(8n));
    for (const [i, requestHash] of hashes.entries()) {
      const a: Action = {
        type: 'submitJob',
        lane: 0,
        requester: `0x${'11'.repeat(20)}`,
        model: `0x${'22'.repeat(32)}`,
        units: 5n,
        requestHash,
      };
      const line = enc.encode(i, a, state);
      // Only a counter that does not continue the last one is written out.
      const continues = i > 0 && BigInt(requestHash) === BigInt(hashes[i - 1]!) + 1n;
      expect(line.endsWith(requestHash.slice(2)), line).toBe(!continues);
      expect(dec.decode(line, state).action).toEqual(a);
    }
  });
});
