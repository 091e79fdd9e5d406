import { writeSync } from 'node:fs';
import { openAtomic } from '../../sim/io/writeFileAtomic.ts';
import type { ReceiptLine } from './receiptLine.ts';

export type ReceiptsFile = {
  write: (lines: ReceiptLine[]) => void;
  /** Flushes, closes and renames the temp file over `path`; returns the line count. */
  close: () => number;
};

// Buffer writes: one syscall per ~64 KiB instead of one per receipt.
const flushAtChars = 64 * 1024;

/** Streams receipts.jsonl to a temporary file; the real name appears only once it is complete. */
export function openReceiptsFile(path: string): ReceiptsFile {
  const file = openAtomic(path, { mkdir: true });
  const fd = file.fd;
  let buffer = '';
  let count = 0;
  let closed = false;
  const flush = () => {
    if (buffer.length > 0) writeSync(fd, buffer);
    buffer = '';
  };
  return {
    write(lines) {
      if (closed) throw new Error(`receipts file ${path}: write after close`);
      for (const line of lines) buffer += `${JSON.stringify(line)}\n`;
      count += lines.length;
      if (buffer.length >= flushAtChars) flush();
    },
    close() {
      if (closed) return count;
      closed = true;
      flush();
      file.commit();
      return count;
    },
  };
}
