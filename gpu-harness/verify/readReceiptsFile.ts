import { readFileSync } from 'node:fs';
import { InputError } from '../../protocol/errors.ts';
import { type ReceiptLine, receiptLineSchema } from '../receipts/receiptLine.ts';

/** A receipts file that cannot be read or has a malformed line; names the line and the field. */
export class ReceiptsFileError extends InputError {
  override name = 'ReceiptsFileError';
  declare readonly field: string;
  constructor(
    readonly path: string,
    /** 1-based line number; 0 when the file itself is unreadable. */
    readonly line: number,
    field: string,
    detail: string,
  ) {
    super(line === 0 ? `${path}: ${detail}` : `${path}:${line}: ${field}: ${detail}`, field);
  }
}

/** Receipts files above this are refused rather than read into memory. */
export const receiptsFileBytesMax = 2 * 1024 ** 3 - 1;

/** Parses receipts.jsonl (blank lines ignored); throws ReceiptsFileError on the first bad line. */
export function parseReceiptsText(path: string, text: string): ReceiptLine[] {
  const out: ReceiptLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(row);
    } catch (error) {
      throw new ReceiptsFileError(path, i + 1, '(line)', `not JSON (${(error as Error).message})`);
    }
    const parsed = receiptLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.join('.') : '(line)';
      throw new ReceiptsFileError(path, i + 1, field, issue.message);
    }
    out.push(parsed.data as ReceiptLine);
  }
  if (out.length === 0) throw new ReceiptsFileError(path, 0, '(file)', 'no receipts');
  return out;
}

export function readReceiptsFile(path: string): ReceiptLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ReceiptsFileError(
      path,
      0,
      '(file)',
      `cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  return parseReceiptsText(path, text);
}
