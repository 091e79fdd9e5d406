import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalizeRunsFile, RunsFileError, readLines } from './runsFile.ts';
import { jsonArrayElement } from './writeSweepOutputs.ts';

const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const dir = mkdtempSync(join(tmpdir(), 'onesim-runsfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readLines', () => {
  it('splits on newlines across its 1 MiB chunks: long lines, multi-byte characters on a boundary, a torn end', () => {
    const path = join(dir, 'lines.txt');
    const long = 'x'.repeat(3 << 20);
    // "≤" is three bytes; place one so that it straddles the first chunk boundary.
    const head = `${'a'.repeat((1 << 20) - 1)}≤b`;
    const text = `${head}\n${long}\n\nshort ≤ line\ntorn`;
    writeFileSync(path, text);
    const got = [...readLines(path)];
    expect(got.map((l) => l.text)).toEqual([head, long, '', 'short ≤ line', 'torn']);
    expect(got.map((l) => l.complete)).toEqual([true, true, true, true, false]);
    const bytes = readFileSync(path);
    for (const l of got)
      expect(bytes.subarray(l.offset, l.offset + l.length).toString('utf8')).toBe(l.text);
    expect(got.map((l) => l.number)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('canonicalizeRunsFile', () => {
  const indexOf = (r: { cell?: unknown; seed?: unknown }) =>
    r.cell === 9 ? 'cell 9 is not in this sweep' : (r.cell as number) * 10 + (r.seed as number);
  const line = (cell: number, s: number, extra = '') => `{"cell":${cell},"seed":${s}${extra}}`;

  it('leaves a canonical file untouched', () => {
    const path = join(dir, 'canonical.jsonl');
    writeFileSync(path, `${line(0, 1)}\n${line(0, 2)}\n${line(1, 1)}\n`);
    expect(canonicalizeRunsFile({ path, indexOf })).toEqual({
      finished: [1, 2, 11],
      dropped: 0,
      rewritten: false,
    });
  });

  it('sorts, drops torn lines and repeats, ends every line, keeping each line byte for byte', () => {
    const path = join(dir, 'messy.jsonl');
    writeFileSync(
      path,
      `${line(1, 1, ',"x":"≤"')}\n{"cell":0,"se\n${line(0, 2)}\n${line(1, 1, ',"x":"≤"')}\n${line(0, 1)}`,
    );
    expect(canonicalizeRunsFile({ path, indexOf })).toEqual({
      finished: [1, 2, 11],
      dropped: 2,
      rewritten: true,
    });
    expect(readFileSync(path, 'utf8')).toBe(
      `${line(0, 1)}\n${line(0, 2)}\n${line(1, 1, ',"x":"≤"')}\n`,
    );
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses a line that parses but belongs elsewhere, naming file:line', () => {
    const path = join(dir, 'foreign.jsonl');
    writeFileSync(path, `${line(0, 1)}\n${line(9, 1)}\n`);
    expect(() => canonicalizeRunsFile({ path, indexOf })).toThrow(RunsFileError);
    expect(() => canonicalizeRunsFile({ path, indexOf })).toThrow(
      `${path}:2: cell 9 is not in this sweep`,
    );
  });
});

describe('runs.json written a row at a time', () => {
  test.prop([fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 6 })], { seed })(
    'is JSON.stringify(rows, null, 1) exactly',
    (rows) => {
      const streamed = rows.length === 0 ? '[]' : `[\n${rows.map(jsonArrayElement).join(',\n')}\n]`;
      expect(streamed).toBe(JSON.stringify(rows, null, 1));
    },
  );
});
