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
 * damaged gzip) on an unreadable trace.
 */
export async function replayTrace(
  path: string,
  onAction?: (index: number) => void,
): Promise<ReplayTraceReturnType> {
  await keccakReady;
  let replayer: Replayer | null = null;
  let header: TraceHeader | null = null;
  let expected: Hex | null = null;

  const checks = { count: 0, lastMatching: -1, first: null as CheckpointDifference | null };
  const env = { verifier: simVerifier };
  const decoder = new TraceDecoder();
  const apply = (atMs: number, action: Action) => {
    replayer!.apply(atMs, action);
    if ((replayer!.applied & 0xffff) === 0) onAction?.(replayer!.applied);
  };
  for await (const batch of readTraceLineBatches(path))
    for (const line of batch) {
      if (line.kind === 'header') {
        header = line.header;
        replayer = createReplayer(resolveParams(header.params as never), env);
      } else if (line.kind === 'footer') expected = line.footer.stateHash;
      else if (line.kind === 'checkpoint')
        compareCheckpoint(replayer!.state, line.checkpoint, replayer!.applied, checks);
      else if (line.kind === 'compact') {
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
  checks: { count: number; lastMatching: number; first: CheckpointDifference | null },
): void {
  const k = checks.count;
  checks.count += 1;
  if (checks.first) return;
  const replayed = stateHash(state);
  if (replayed === c.stateHash && replayedActions === c.actions) {
    checks.lastMatching = c.actions - 1;
    return;
  }
  checks.first = {
    checkpoint: k,
    actionIndex: c.actions - 1,
    atMs: c.atMs,
    day: Math.floor(c.atMs / state.params.dayMs),
    recorded: c.stateHash,
    replayed,
    lastMatchingActionIndex: checks.lastMatching,
  };
}
