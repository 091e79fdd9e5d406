import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../protocol/actionSchema.ts';
import {
  type Action,
  createState,
  resolveParams,
  simVerifier,
  stateHash,
  step,
} from '../../protocol/index.ts';
import { addr } from '../../protocol/testing/fixtures.ts';
import { TraceWriter } from '../../sim/trace/traceFile.ts';

const root = new URL('../../', import.meta.url).pathname;
const onesim = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', ...args], { cwd: root, encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'onesim-replay-cli-'));

/** A trace as `onesim run` writes it: 20,000 deposits over ~139 days, several gzip members. */
function writeTrace(path: string): void {
  const params = resolveParams({});
  const state = createState(params);
  const w = new TraceWriter(
    path,
    {
      scenario: 'cli',
      seed: '1',
      days: 139,
      commit: 'test',
      params: JSON.parse(toJsonText(params)),
    },
    { checkpointEveryActions: 1_000 },
  );
  w.checkpointFrom(state);
  for (let i = 0; i < 20_000; i++) {
    const action: Action = {
      type: 'deposit',
      account: addr(1 + (i % 40)),
      asset: 'one',
      amount: BigInt(7 + i),
    };
    expect(step(state, action, i * 600_000, { verifier: simVerifier }).ok).toBe(true);
    w.write(i * 600_000, action);
  }
  w.close({ end: true, actions: 20_000, stateHash: stateHash(state) });
}

describe('onesim replay', () => {
  const clean = join(dir, 'trace.jsonl.gz');
  writeTrace(clean);

  it('a corrupted gzip: exit 2, one line naming the file and the byte offset', () => {
    const bytes = readFileSync(clean);
    const offset = Math.floor(bytes.length / 2);
    for (let i = offset; i < offset + 6; i++) bytes[i] = bytes[i]! ^ 0x5a;
    const path = join(dir, 'flipped.jsonl.gz');
    writeFileSync(path, bytes);
    const r = onesim('replay', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^onesim: ${path.replace(/[.]/g, '\\.')}: corrupt gzip data near byte \\d+ of ${bytes.length} \\(zlib: [^)]+\\)`,
      ),
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('an edited amount: exit 1, naming the first checkpoint and action index that differ', () => {
    const lines = gunzipSync(readFileSync(clean)).toString('utf8').trim().split('\n');
    const actionLines = lines.flatMap((l, i) => (JSON.parse(l).action ? [i] : []));
    const at = actionLines[12_345]!;
    const d = JSON.parse(lines[at]!);
    d.action.amount = '8';
    const path = join(dir, 'edited.jsonl.gz');
    writeFileSync(path, gzipSync(`${lines.with(at, JSON.stringify(d)).join('\n')}\n`));
    // 144 deposits a day: days start at actions #12240 and #12384, either side of #12345.
    const r = onesim('replay', path);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /FIRST DIFFERENT CHECKPOINT #\d+ of \d+: after action #12384 \(day 86, 7430400000 ms\)/,
    );
    expect(r.stdout).toContain(
      'the previous checkpoint (after action #12240) matched: the first action that changes the outcome is among #12241..#12384',
    );
  });
});
