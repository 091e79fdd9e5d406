import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../sim/io/writeFileAtomic.ts';
import {
  type CapacityProfile,
  mergeCapacityEntry,
  parseCapacityProfile,
} from '../profile/capacityProfile.ts';
import { toCapacityEntry } from '../profile/toCapacityEntry.ts';
import type { BenchResult } from './benchInference.ts';

export type WriteBenchOutputsReturnType = { resultPath: string; profilePath: string | null };

function readProfile(path: string): CapacityProfile | null {
  if (!existsSync(path)) return null;
  try {
    return parseCapacityProfile(readFileSync(path, 'utf8'));
  } catch {
    // A damaged profile is replaced, not merged into.
    return null;
  }
}

/**
 * Writes result.json and merges this run into capacity-profile.json under `outDir` (both via
 * temp file + rename). No profile entry is written when nothing finished.
 */
export function writeBenchOutputs(bench: BenchResult, outDir: string): WriteBenchOutputsReturnType {
  const resultPath = join(outDir, 'result.json');
  writeFileAtomic(resultPath, `${JSON.stringify(bench, null, 2)}\n`, { mkdir: true });
  if (bench.result === null || bench.result.latency === null)
    return { resultPath, profilePath: null };
  const profilePath = join(outDir, 'capacity-profile.json');
  const next: CapacityProfile = {
    schema: 'onesim/capacity-profile/v1',
    machine: bench.runtime.machine,
    ortVersion: bench.runtime.ortVersion,
    gitCommit: bench.gitCommit,
    entries: [toCapacityEntry(bench.model, bench.runtime, bench.result)],
  };
  writeFileAtomic(
    profilePath,
    `${JSON.stringify(mergeCapacityEntry(readProfile(profilePath), next), null, 2)}\n`,
    { mkdir: true },
  );
  return { resultPath, profilePath };
}
