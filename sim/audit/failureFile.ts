import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJsonText } from '../../protocol/actionSchema.ts';
import type { AuditCase, Finding } from './auditCase.ts';

export const FAILURE_FORMAT = 'onesim-audit-failure/1';
/** Where audits keep failures unless told otherwise (ignored by git, like every output). */
export const defaultFailuresDir = join('out', 'audit', 'failures');

/** A shrunk failure as saved: enough to run it again with nothing but this file. */
export interface SavedFailure {
  format: typeof FAILURE_FORMAT;
  id: string;
  /** The audit's seed and the seed of the run that failed (fc.sample draws the case from it). */
  seed: number;
  caseSeed: number;
  commit: string;
  finding: Finding;
  /** Intents before shrinking, for the record. */
  originalIntents: number;
  /**
   * How shrinking went: candidates tried, whether its time budget ran out (the case is then the
   * best found so far), and fast-check's replay path of the case from `caseSeed`.
   */
  shrink?: { tried: number; gaveUp: boolean; path: string | null };
  case: AuditCase;
}

export class FailureFileError extends Error {
  override name = 'FailureFileError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export const failureId = (finding: Finding, c: AuditCase): string =>
  `${finding.check}-${createHash('sha256').update(toJsonText(c)).digest('hex').slice(0, 10)}`;

export const failureText = (f: SavedFailure): string => `${toJsonText(f, 2)}\n`;

/** Parses a saved failure (JSON text; bigints as decimal strings, which params accept). */
export function parseFailure(text: string, path = 'failure.json'): SavedFailure {
  let data: Partial<SavedFailure>;
  try {
    data = JSON.parse(text) as Partial<SavedFailure>;
  } catch (e) {
    throw new FailureFileError(path, `not JSON: ${(e as Error).message}`);
  }
  if (data.format !== FAILURE_FORMAT)
    throw new FailureFileError(path, `format must be ${FAILURE_FORMAT}`);
  if (!Array.isArray(data.case?.intents))
    throw new FailureFileError(path, 'case.intents must be an array');
  if (typeof data.finding?.check !== 'string')
    throw new FailureFileError(path, 'finding.check is missing');
  return data as SavedFailure;
}

/** Each failure is a folder `<dir>/<id>/` holding failure.json and its exports. */
export function saveFailure(dir: string, f: SavedFailure): string {
  const folder = join(dir, f.id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'failure.json'), failureText(f));
  return folder;
}

/** Saved failures, oldest format checks first, in a stable (sorted) order. */
export function loadFailures(dir: string): Array<{ path: string; failure: SavedFailure }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => join(dir, name, 'failure.json'))
    .filter((path) => existsSync(path))
    .map((path) => ({ path, failure: parseFailure(readFileSync(path, 'utf8'), path) }));
}
