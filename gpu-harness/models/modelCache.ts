import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../sim/io/writeFileAtomic.ts';

/**
 * Where built models are kept, by content hash: `$ONESIM_MODEL_CACHE`, else
 * `$XDG_CACHE_HOME/onesim/models`, else `~/.cache/onesim/models`.
 */
export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ONESIM_MODEL_CACHE) return env.ONESIM_MODEL_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'onesim', 'models');
}

/** sha256 hex of a file, read in 16 MiB pieces (a 500 MB model never sits in memory whole). */
export function sha256OfFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** A zoo builder produced other bytes than its pinned sha256: the builder or its weights changed. */
export class ModelBuildMismatchError extends Error {
  override name = 'ModelBuildMismatchError';
  constructor(
    readonly model: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `model ${model}: the builder produced sha256 ${actual}, but the zoo pins ${expected}; a changed graph or weight stream needs a new name or a deliberate re-pin`,
    );
  }
}

export type CachedModel = { path: string; id: string; built: boolean };

/** Files hashed in this process, by path: hashed again when their size or mtime changed. */
const verified = new Map<string, string>();
const stamp = (path: string) => {
  const s = statSync(path);
  return `${s.size}/${s.mtimeMs}`;
};

/**
 * The cached file of a pinned model, `<cache>/<id>.onnx`: used when its bytes hash to the pin,
 * else built, checked against the pin and written (temp file + rename, so a reader never sees
 * half a model). A file that does not hash to its name is rebuilt, never trusted.
 */
export function cachedModel(p: {
  name: string;
  pinnedId: string;
  build: () => Uint8Array;
  dir?: string;
}): CachedModel {
  const dir = p.dir ?? modelCacheDir();
  const path = join(dir, `${p.pinnedId}.onnx`);
  const present = existsSync(path) && statSync(path).isFile();
  if (present && verified.get(path) === `${p.pinnedId}/${stamp(path)}`)
    return { path, id: p.pinnedId, built: false };
  if (present && sha256OfFile(path) === p.pinnedId) {
    verified.set(path, `${p.pinnedId}/${stamp(path)}`);
    return { path, id: p.pinnedId, built: false };
  }
  const bytes = p.build();
  const id = createHash('sha256').update(bytes).digest('hex');
  if (id !== p.pinnedId) throw new ModelBuildMismatchError(p.name, p.pinnedId, id);
  writeFileAtomic(path, bytes, { mkdir: true });
  verified.set(path, `${id}/${stamp(path)}`);
  return { path, id, built: true };
}
