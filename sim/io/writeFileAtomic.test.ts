import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyFileAtomic,
  openAtomic,
  temporaryPathFor,
  writeFileAtomic,
} from './writeFileAtomic.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'onesim-atomic-'));

describe('writeFileAtomic', () => {
  it('writes the whole file and leaves no temporary file; mkdir creates the folder', () => {
    const path = join(dir(), 'a', 'b.json');
    writeFileAtomic(path, 'one\n', { mkdir: true });
    writeFileAtomic(path, new Uint8Array([50, 10]), { fsync: true });
    expect(readFileSync(path, 'utf8')).toBe('2\n');
    expect(readdirSync(join(path, '..'))).toEqual(['b.json']);
  });

  it('a streamed file appears under its name only at commit; abort keeps the old file', () => {
    const d = dir();
    const path = join(d, 'runs.jsonl');
    writeFileSync(path, 'old\n');
    const f = openAtomic(path);
    writeSync(f.fd, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(f.temporaryPath).toBe(temporaryPathFor(path));
    expect(existsSync(f.temporaryPath)).toBe(true);
    f.commit();
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    const g = openAtomic(path, { fsync: true });
    writeSync(g.fd, 'half');
    g.abort();
    g.abort();
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(readdirSync(d)).toEqual(['runs.jsonl']);
    expect(() => g.commit()).toThrow(/already committed or aborted/);
  });

  it('copies a file atomically', () => {
    const d = dir();
    writeFileSync(join(d, 'src'), 'bytes');
    copyFileAtomic(join(d, 'src'), join(d, 'out', 'dst'), { mkdir: true, fsync: true });
    expect(readFileSync(join(d, 'out', 'dst'), 'utf8')).toBe('bytes');
    expect(readdirSync(join(d, 'out'))).toEqual(['dst']);
  });

  it('names the temporary file for this host and process, beside the target', () => {
    expect(temporaryPathFor('/x/y.csv')).toMatch(
      new RegExp(`^/x/y\\.csv\\.tmp-.+-${process.pid}$`),
    );
  });
});
