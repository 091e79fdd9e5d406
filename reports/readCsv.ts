/** Parses the CSV files onesim writes (header row; quoted fields may hold commas). Numbers become numbers. */
export function readCsv(text: string): Array<Record<string, number | string>> {
  const lines = splitRecords(text.trimEnd());
  const [header, ...rows] = lines;
  if (!header) return [];
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, typed(cells[i] ?? '')])));
}

function typed(v: string): number | string {
  if (v === '') return v;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

function splitRecords(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      row.push(cur);
      cur = '';
      if (c === '\n') {
        out.push(row);
        row = [];
      }
    } else cur += c;
  }
  row.push(cur);
  out.push(row);
  return out;
}
