import { SweepSpecError } from './sweepErrors.ts';

export interface GridAxis {
  /** Dotted path into the scenario (`holders.count`) or its protocol params (`params.takeRate.num`). */
  key: string;
  values: GridValue[];
}
export type GridValue = number | string | boolean | null | Record<string, unknown> | unknown[];

/** Splits on commas outside brackets, braces and quotes, so JSON values may hold commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '{' || c === '[')) depth++;
    else if (!quoted && (c === '}' || c === ']')) depth--;
    if (c === ',' && depth === 0 && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim());
}

/** Numbers, true/false/null and JSON objects/arrays are typed; anything else is a string. */
export function parseGridValue(key: string, text: string): GridValue {
  if (text === '') throw new SweepSpecError(key, 'empty value');
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text) as GridValue;
    } catch (e) {
      throw new SweepSpecError(key, `${text}: not JSON (${(e as Error).message})`);
    }
  }
  return text;
}

/** `--grid key=v1,v2` → an axis. A single value is an override that every run shares. */
export function parseGridFlag(flag: string): GridAxis {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new SweepSpecError('--grid', `${JSON.stringify(flag)}: expected key=v1,v2,…`);
  const key = flag.slice(0, eq).trim();
  if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(key))
    throw new SweepSpecError('--grid', `${JSON.stringify(key)} is not a dotted key`);
  const values = splitTopLevel(flag.slice(eq + 1)).map((v) => parseGridValue(key, v));
  const seen = new Set(values.map((v) => JSON.stringify(v)));
  if (seen.size !== values.length) throw new SweepSpecError(key, 'repeated value');
  return { key, values };
}
