import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { toJsonText } from '../../protocol/actionSchema.ts';
import type { Params } from '../../protocol/params.ts';
import { writeFileAtomic } from '../io/writeFileAtomic.ts';
import type { Divergence } from './liveDriver.ts';
import type { TimedAction } from './randomActions.ts';

/**
 * Writes `{ params, actions, divergence }` (the `onesim apply` action-file format, amounts as
 * decimal strings) to `<dir>/live-divergence-<hash>.json`, atomically; returns the path.
 */
export function writeReplayFile(p: {
  dir: string;
  params: Params;
  actions: TimedAction[];
  divergence: Divergence;
  seed?: number;
}): string {
  const body = toJsonText(
    { seed: p.seed, divergence: p.divergence, params: p.params, actions: p.actions },
    1,
  );
  const name = `live-divergence-${createHash('sha256').update(body).digest('hex').slice(0, 12)}.json`;
  const path = join(p.dir, name);
  writeFileAtomic(path, `${body}\n`, { mkdir: true });
  return path;
}
