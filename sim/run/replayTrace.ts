import {
  createState,
  type Hex,
  resolveParams,
  type State,
  simVerifier,
  stateHash,
  step,
} from '../../protocol/index.ts';
import { readTraceLines, TraceFormatError, type TraceHeader } from '../trace/traceFile.ts';

export interface ReplayTraceReturnType {
  header: TraceHeader;
  actions: number;
  stateHash: Hex;
  expectedStateHash: Hex | null;
  matches: boolean;
  /** The first action the protocol rejected on replay (a trace holds accepted actions only). */
  firstRejection: { index: number; code: string; message: string } | null;
}

/** Re-applies a trace's actions from genesis and compares the final state hash (invariant 10). */
export async function replayTrace(
  path: string,
  onAction?: (index: number) => void,
): Promise<ReplayTraceReturnType> {
  let state: State | null = null;
  let header: TraceHeader | null = null;
  let expected: Hex | null = null;
  let index = 0;
  let firstRejection: ReplayTraceReturnType['firstRejection'] = null;
  const env = { verifier: simVerifier };
  for await (const line of readTraceLines(path)) {
    if (line.kind === 'header') {
      header = line.header;
      state = createState(resolveParams(header.params as never));
    } else if (line.kind === 'footer') expected = line.footer.stateHash;
    else {
      const r = step(state!, line.action, line.atMs, env);
      if (!r.ok && !firstRejection) firstRejection = { index, code: r.code, message: r.message };
      index += 1;
      if ((index & 0xffff) === 0) onAction?.(index);
    }
  }
  if (!header || !state) throw new TraceFormatError(`${path}: empty trace`);
  const hash = stateHash(state);
  return {
    header,
    actions: index,
    stateHash: hash,
    expectedStateHash: expected,
    matches: expected === hash && firstRejection === null,
    firstRejection,
  };
}
