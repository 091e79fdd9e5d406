import { readFileSync } from 'node:fs';
import { type ParseError, parse as scanJson } from 'jsonc-parser';
import { InputError } from '../../protocol/errors.ts';

/** Where in a file (1-based). */
export interface FilePosition {
  line: number;
  column: number;
}

/** An input file that cannot be read or parsed: the message starts with `file:line:column`. */
export class InputFileError extends InputError {
  override name = 'InputFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    /** null when the file has no position to point at (unreadable, or none known). */
    readonly at: FilePosition | null = null,
  ) {
    super(`${file}${at ? `:${at.line}:${at.column}` : ''}: ${reason}`, 'file');
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): FilePosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * JSON.parse decides what the value is; on failure, jsonc-parser's strict scanner (no comments,
 * no trailing commas) says where the first error is, which V8's messages do not always tell.
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const errors: ParseError[] = [];
    scanJson(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    const reason = `not valid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`;
    throw new InputFileError(file, reason, errors[0] ? lineColumn(text, errors[0].offset) : null);
  }
}

/** Reads and parses a JSON file; throws InputFileError naming the file (and the line of a syntax error). */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputFileError(file, `cannot read${code ? ` (${code})` : ''}`);
  }
  return parseJsonText(text, file);
}
