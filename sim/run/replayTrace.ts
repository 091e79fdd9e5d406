import {
  type Action,
  type Hex,
  resolveParams,
  type State,
  simVerifier,
  stateHash,
} from '../../protocol/index.ts';
import { keccakReady } from '../../protocol/keccak.ts';
import { createReplayer, type Replayer } from '../../protocol/replay.ts';
import { BackgroundStateHasher } from '../trace/stateHasher.ts';
import { TraceDecoder } from '../trace/traceCodec.ts';
import {
  readTraceLineBatches,
  type TraceCheckpoint,
  TraceFormatError,
  type TraceHeader,
} from '../trace/traceFile.ts';

/** The first checkpoint whose recorded state hash the replay does not reach. */
export interface CheckpointDifference {
  /** 0-based position among the trace's checkpoints. */
  checkpoint: number;
  /** 0-based index of the action after which the hash was taken (actions − 1). */
  actionIndex: number;
  atMs: number;
  /** The simulated day of that action. */
  day: number;
  recorded: Hex;
  replayed: Hex;
  /**
   * The action index of the last checkpoint that matched (-1: none before, the divergence may
   * come from genesis): the first action that changed the outcome lies in (this, actionIndex].
   */
  lastMatchingActionIndex: number;
}

export interface ReplayTraceReturnType {
  header: TraceHeader;
  actions: number;
  stateHash: Hex;
  expectedStateHash: Hex | null;
  matches: boolean;
  /** The first action the protocol rejected on replay (a trace holds accepted actions only). */
  firstRejection: { index: number; code: string; message: string } | null;
  /** Checkpoints in the trace (0 for format onesim-trace/1, which has none). */
  checkpoints: number;
  firstDifferentCheckpoint: CheckpointDifference | null;
}

/**
 * Re-applies a trace's actions from genesis and compares the state hash at every checkpoint the
 * trace recorded and at the end (invariant 10). Throws TraceFormatError (TraceCorruptError for
 * damaged gzip) on an unreadable trace. With `hashInBackground`, checkpoint states are hashed on
 * a worker thread from a copy while the replay goes on (`onesim replay`); the outcome is the same.
 */
export async function replayTrace(
  path: string,
  onAction?: (index: number) => void,
  o: { hashInBackground?: boolean } = {},
): Promise<ReplayTraceReturnType> {
  await keccakReady;
  let replayer: Replayer | null = null;
  let header: TraceHeader | null = null;
  let expected: Hex | null = null;

  const checks: Checks = { count: 0, lastMatching: -1, first: null };
  const hasher = o.hashInBackground ? new BackgroundStateHasher() : null;
  /** Checkpoints hashed in the background, compared in order once the replay is done. */
  const hashed: Array<{ c: TraceCheckpoint; applied: number; hash: Promise<Hex> }> = [];
  const env = { verifier: simVerifier };
  const decoder = new TraceDecoder();
  const apply = (atMs: number, action: Action) => {
    replayer!.apply(atMs, action);
    if ((replayer!.applied & 0xffff) === 0) onAction?.(replayer!.applied);
  };
  try {
    for await (const batch of readTraceLineBatches(path))
      for (const line of batch) {
        if (line.kind === 'header') {
          header = line.header;
          replayer = createReplayer(resolveParams(header.params as never), env);
        } else if (line.kind === 'footer') expected = line.footer.stateHash;
        else if (line.kind === 'checkpoint') {
          if (!hasher)
            compareCheckpoint(replayer!.state, line.checkpoint, replayer!.applied, checks);
          else {
            const hash = hasher.hash(replayer!.state);
            hash.catch(() => {}); // awaited below
            hashed.push({ c: line.checkpoint, applied: replayer!.applied, hash });
          }
        } else if (line.kind === 'compact') {
          let decoded: { atMs: number; action: Action };
          try {
            decoded = decoder.decode(line.line, replayer!.state);
          } catch (e) {
            throw new TraceFormatError(
              `${path}: action ${replayer!.applied} (${JSON.stringify(line.line.slice(0, 60))}): ${(e as Error).message}`,
            );
          }
          apply(decoded.atMs, decoded.action);
        } else {
          decoder.observe(line.atMs, line.action);
          apply(line.atMs, line.action);
        }
      }
    for (const h of hashed)
      checkpointHashed(checks, h.c, h.applied, await h.hash, replayer!.state.params.dayMs);
  } finally {
    await hasher?.close();
  }
  if (!header || !replayer) throw new TraceFormatError(`${path}: empty trace`);
  const hash = stateHash(replayer.state);
  const r = replayer.firstRejection;
  const firstRejection = r ? { index: r.index, code: r.code, message: r.message } : null;
  return {
    header,
    actions: replayer.applied,
    stateHash: hash,
    expectedStateHash: expected,
    matches: expected === hash && firstRejection === null && checks.first === null,
    firstRejection,
    checkpoints: checks.count,
    firstDifferentCheckpoint: checks.first,
  };
}

/**
 * A checkpoint names how many actions came before it: a replay at another count (an action
 * deleted or added) differs there as surely as a different hash.
 */
function compareCheckpoint(
  state: State,
  c: TraceCheckpoint,
  replayedActions: number,
  checks: Checks,
): void {
  // Past the first difference only the count goes on: no hash is needed.
  if (checks.first) checks.count += 1;
  else checkpointHashed(checks, c, replayedActions, stateHash(state), state.params.dayMs);
}

type Checks = { count: number; lastMatching: number; first: CheckpointDifference | null };

/** Records checkpoint number `checks.count`, whose state the replay hashed to `replayed`. */
function checkpointHashed(
  checks: Checks,
  c: TraceCheckpoint,
  replayedActions: number,
  replayed: Hex,
  dayMs: number,
): void {
  const k = checks.count;
  checks.count += 1;
  if (checks.first) return;
  if (replayed === c.stateHash && replayedActions === c.actions) {
    checks.lastMatching = c.actions - 1;
    return;
  }
  checks.first = {
    checkpoint: k,
    actionIndex: c.actions - 1,
    atMs: c.atMs,
    day: Math.floor(c.atMs / dayMs),
    recorded: c.stateHash,
    replayed,
    lastMatchingActionIndex: checks.lastMatching,
  };
}
