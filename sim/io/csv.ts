import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * The CSV files onesim writes and reads (metrics.csv, workers.csv, runs.csv), through the `csv`
 * project's csv-stringify and csv-parse: comma-separated, each record ended by `\n`, a field
 * quoted (`"` doubled) when it holds a comma, a quote or a line break.
 */

/** How numbers are written: each file keeps its own rounding. */
export type CsvNumberFormat = (v: number) => string;

/** Six significant digits, integers included (runs.csv, workers.csv). */
export const sixSignificant: CsvNumberFormat = (v) => String(Number(v.toPrecision(6)));

/** Integers whole, other numbers to six significant digits (metrics.csv). */
export const integersWholeElseSixSignificant: CsvNumberFormat = (v) =>
  Number.isInteger(v) ? String(v) : sixSignificant(v);

/**
 * CSV text of `records` (the header is a record like any other). Numbers go through `number`,
 * booleans and bigints as `String` writes them, other objects as JSON, null and undefined empty.
 */
export function csvRecords(
  records: ReadonlyArray<readonly unknown[]>,
  o: { number: CsvNumberFormat },
): string {
  if (records.length === 0) return '';
  return stringify(records as unknown[][], {
    eof: true,
    record_delimiter: '\n',
    cast: {
      number: (v) => o.number(v),
      boolean: (v) => String(v),
      bigint: (v) => String(v),
      object: (v) => JSON.stringify(v),
    },
  });
}

/** Parses a CSV file with a header row into one object per record; numbers become numbers. */
export function readCsv(text: string): Array<Record<string, number | string>> {
  let header: string[] = [];
  const rows = parse(text, {
    columns: (h: string[]) => {
      header = h;
      return h;
    },
    relax_column_count: true,
    skip_empty_lines: true,
    cast: (value, context) => (context.header ? value : typed(value)),
  }) as Array<Record<string, number | string>>;
  // A record cut short reads its missing fields as empty.
  for (const r of rows) for (const h of header) r[h] ??= '';
  return rows;
}

function typed(v: string): number | string {
  if (v === '') return v;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}
