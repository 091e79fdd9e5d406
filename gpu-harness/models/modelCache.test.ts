import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedModel, ModelBuildMismatchError, modelCacheDir } from './modelCache.ts';
import { reducedZoo } from './reducedZoo.ts';
import { loadSpec } from './registry.ts';

const spec = reducedZoo()[0]!;
const bytes = spec.build();
const id = createHash('sha256').update(bytes).digest('hex');

describe('model cache (by content hash)', () => {
  it('builds once, then serves the file; a damaged file is rebuilt, never trusted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-cache-'));
    let builds = 0;
    const build = () => {
      builds++;
      return spec.build();
    };
    const first = cachedModel({ name: spec.name, pinnedId: id, build, dir });
    expect(first).toEqual({ path: join(dir, `${id}.onnx`), id, built: true });
    expect(Buffer.from(readFileSync(first.path)).equals(Buffer.from(bytes))).toBe(true);
    writeFileSync(first.path, 'not the model');
    const again = cachedModel({ name: `${spec.name}-again`, pinnedId: id, build, dir });
    expect(again.built).toBe(true);
    expect(builds).toBe(2);
    expect(createHash('sha256').update(readFileSync(again.path)).digest('hex')).toBe(id);
  });

  it('refuses a build that does not hash to its pin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-cache-'));
    const wrong = '0'.repeat(64);
    expect(() => cachedModel({ name: 'x', pinnedId: wrong, build: () => bytes, dir })).toThrow(
      ModelBuildMismatchError,
    );
  });

  it('a pinned spec loads as a file onnxruntime opens; the folder follows the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-cache-'));
    const model = loadSpec({ ...spec, pinnedId: id }, { cacheDir: dir });
    expect(model).toMatchObject({ id, bytes: null, path: join(dir, `${id}.onnx`) });
    expect(modelCacheDir({ ONESIM_MODEL_CACHE: '/c' })).toBe('/c');
    expect(modelCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/onesim/models');
  });
});
