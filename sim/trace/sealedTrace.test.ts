import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { toJsonText } from '../../protocol/actionSchema.ts';
import { resolveParams } from '../../protocol/index.ts';
import { replayTrace } from '../run/replayTrace.ts';
import { runSimulation } from '../run/runSimulation.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { TraceDecoder } from './traceCodec.ts';
import { TRACE_FORMAT, TraceWriter } from './traceFile.ts';

// Sealed submissions have no compact code: they go out as JSON lines, carry their mode, and the
// trace still replays to the run's state hash.
it('a run with sealed jobs writes them as JSON lines with their mode, and its trace replays exactly', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'onesim-sealed-trace-')), 'run.trace.gz');
  const scenario = tinyScenario({
    params: { auditSampleRate: { num: '1', den: '4' }, sealedAudit: 'opt-in' },
    sealedJobs: { share: 0.4, auditOptInShare: 0.5 },
    adversaries: { lazyWorkers: { count: 1, fakeShare: 0.5, savingUsdcPerFakedJob: 0.001 } },
  });
  const writer = new TraceWriter(path, {
    format: TRACE_FORMAT,
    scenario: scenario.name,
    seed: '4',
    days: 2,
    commit: 'test',
    params: JSON.parse(toJsonText(resolveParams(scenario.params))),
  });
  const record = await runSimulation({
    scenario,
    seed: '4',
    days: 2,
    commit: 'test',
    trace: writer,
    onReady: (sim) => writer.checkpointFrom(sim.state),
  });
  writer.close({ end: true, actions: writer.count, stateHash: record.finalStateHash });
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const sealed = lines.filter((l) => !TraceDecoder.isCompact(l) && l.includes('"sealed"'));
  expect(sealed.some((l) => l.includes('"sealed":"auditable"'))).toBe(true);
  expect(sealed.some((l) => l.includes('"sealed":"private"'))).toBe(true);
  expect(record.headline.sealedJobs).toBeGreaterThan(0);
  const r = await replayTrace(path);
  expect(r).toMatchObject({ matches: true });
  expect(r.stateHash).toBe(record.finalStateHash);
});
