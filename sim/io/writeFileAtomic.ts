import {
  closeSync,
  copyFileSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * Every file onesim writes whole-or-not-at-all goes through here: the bytes go to a temporary
 * file beside the target, which is renamed over it once complete, so a reader (or a resumed run)
 * never sees half a file. The temporary name, `<path>.tmp-<host>-<pid>`, is unique per process
 * even on a file system that several machines share (sweep shards, the model cache).
 */
export function temporaryPathFor(path: string): string {
  return `${path}.tmp-${hostname()}-${process.pid}`;
}

export type AtomicWriteOptions = {
  /** Create the target's folder first. */
  mkdir?: boolean;
  /** fsync the data before the rename (a crash then leaves the old file or the whole new one). */
  fsync?: boolean;
};

/** Writes `data` to `path` whole or not at all. */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  o: AtomicWriteOptions = {},
): void {
  const file = openAtomic(path, o);
  try {
    writeFileSync(file.fd, data);
  } catch (e) {
    file.abort();
    throw e;
  }
  file.commit();
}

/** Copies `source` to `path` whole or not at all. */
export function copyFileAtomic(source: string, path: string, o: AtomicWriteOptions = {}): void {
  if (o.mkdir) mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    copyFileSync(source, temporary);
    if (o.fsync) {
      const fd = openSync(temporary, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

/** A file being written under its temporary name: write to `fd`, then `commit()` or `abort()`. */
export type AtomicFile = {
  readonly path: string;
  readonly temporaryPath: string;
  readonly fd: number;
  /** Closes the temporary file (fsync'd first when asked) and renames it over `path`. */
  commit: () => void;
  /** Closes and removes the temporary file; `path` is left as it was. Safe to call twice. */
  abort: () => void;
};

/** Opens `<path>.tmp-…` for a file written in pieces (streams, appended lines). */
export function openAtomic(path: string, o: AtomicWriteOptions = {}): AtomicFile {
  if (o.mkdir) mkdirSync(dirname(path), { recursive: true });
  const temporaryPath = temporaryPathFor(path);
  const fd = openSync(temporaryPath, 'w');
  let done = false;
  return {
    path,
    temporaryPath,
    fd,
    commit() {
      if (done) throw new Error(`${path}: already committed or aborted`);
      done = true;
      if (o.fsync) fsyncSync(fd);
      closeSync(fd);
      renameSync(temporaryPath, path);
    },
    abort() {
      if (done) return;
      done = true;
      closeSync(fd);
      rmSync(temporaryPath, { force: true });
    },
  };
}
