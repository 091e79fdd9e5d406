import { renameSync, writeFileSync } from 'node:fs';

/** Writes a file whole or not at all: temp file, then rename. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}
