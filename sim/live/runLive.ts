import type { BuildResult } from '../../protocol/contracts/build.ts';
import { encodeParams } from '../../protocol/contracts/paramCodec.ts';
import type { Params } from '../../protocol/params.ts';
import type { ReceiptDomain } from '../../protocol/receipts/eip712.ts';
import { createState } from '../../protocol/state.ts';
import { stateHash } from '../../protocol/stateHash.ts';
import type { Hex, State } from '../../protocol/types.ts';
import { InfrastructureError, infrastructureErrorJson } from '../infrastructureError.ts';
import type { KeySource } from './accounts.ts';
import { type LocalAnvil, startAnvil } from './anvil.ts';
import { type Divergence, LiveDivergenceError } from './liveDriver.ts';
import type { TimedAction } from './randomActions.ts';
import { writeReplayFile } from './replayFile.ts';
import { createRpc } from './rpc.ts';
import { openLiveSession } from './session.ts';
import { createLiveStats, gasPerType, type LiveStats } from './stats.ts';

type Actions = Iterable<TimedAction> | AsyncIterable<TimedAction>;

/** The deployed protocol, for generators that sign in its EIP-712 domain. */
export interface LiveChain {
  chainId: number;
  protocol: `0x${string}`;
  domain: ReceiptDomain;
}

/**
 * Where actions come from: a fixed stream, or a function of the model state (read-only) and the
 * deployed chain for generators that react to them, like the `random` and `harness` scenarios.
 */
export type ActionSource = Actions | ((model: State, chain: LiveChain) => Actions);

export interface RunLiveParameters {
  params: Params;
  actions: ActionSource;
  /** An Anvil-compatible node (evm_mine with timestamps); default: a local Anvil started here. */
  rpcUrl?: string;
  /** Needed for a non-loopback rpcUrl (createRpc throws RemoteRpcRefusedError without it). */
  allowRemote?: boolean;
  keys?: KeySource;
  /** See OpenLiveSessionParameters: real signatures (`chain`) need their signers pinned. */
  signatures?: 'sim' | 'chain';
  pinnedKeys?: Hex[];
  /** Compare projections every N actions (0: only at the end). Outcomes are always compared. */
  checkEvery?: number;
  build?: BuildResult;
  /** Folder for the replay file of a divergence (default `out`). */
  replayDir?: string;
  seed?: number;
  /** Milliseconds for throughput figures (injected: sim/ reads no ambient clock). */
  clockMs?: () => number;
  onProgress?: (actions: number, atMs: number) => void;
  /**
   * Polled between actions: true ends the run there (checked, results kept; Ctrl-C). The local
   * Anvil runs in its own process group, so a terminal's Ctrl-C leaves it running until then.
   */
  shouldStop?: () => boolean;
}

export interface RunLiveResult {
  ok: boolean;
  divergence: Divergence | null;
  replayPath: string | null;
  actions: number;
  lastAtMs: number;
  elapsedMs: number;
  actionsPerSec: number;
  stats: LiveStats;
  gasPerType: ReturnType<typeof gasPerType>;
  /** Stopped by `shouldStop` before the stream ended. */
  interrupted: boolean;
  /** The model's state hash after the last action (a simulation of the same stream gives it too). */
  modelStateHash: Hex;
  /**
   * The infrastructure failure that ended the run early (a node that stopped answering, Anvil
   * exiting, too few keys), or null; what ran before it is counted above, and `ok` is false.
   */
  error: { kind: string; message: string } | null;
}

/**
 * Runs actions against the model and the contracts side by side; stops at the first divergence.
 * An infrastructure failure (InfrastructureError: Anvil not starting or exiting, a node that does
 * not answer, too few keys) also ends the run: the result carries it in `error`, with what ran
 * before it. Throws RemoteRpcRefusedError for a non-loopback rpcUrl without allowRemote, and
 * UnencodableParamError (an InputError) for parameters the contracts cannot hold, before any
 * node is started or contacted.
 */
export async function runLive(p: RunLiveParameters): Promise<RunLiveResult> {
  encodeParams(p.params, (a) => a);
  const rpc = p.rpcUrl ? createRpc(p.rpcUrl, { allowRemote: p.allowRemote }) : null;
  let anvil: LocalAnvil | null = null;
  try {
    if (!rpc) anvil = await startAnvil();
    return await runOnChain(p, rpc ?? createRpc(anvil!.url), anvil);
  } catch (e) {
    if (!(e instanceof InfrastructureError)) throw e;
    return notStarted(p, await describeFailure(e, anvil));
  } finally {
    rpc?.close();
    await anvil?.stop();
  }
}

/** The error field: when the local Anvil has exited, that is what failed, whatever the call saw. */
async function describeFailure(
  e: InfrastructureError,
  anvil: LocalAnvil | null,
): Promise<NonNullable<RunLiveResult['error']>> {
  const gone = anvil
    ? await Promise.race([anvil.exited, new Promise<null>((r) => setTimeout(r, 500, null))])
    : null;
  if (gone === null) return infrastructureErrorJson(e);
  return {
    kind: 'AnvilExited',
    message: `Anvil (${anvil!.url}) exited with status ${gone} during the run: ${infrastructureErrorJson(e).message}`,
  };
}

/** The final check after an infrastructure failure; a second failure leaves it unchecked. */
async function checkWhatRan(driver: { check(): Promise<void> }): Promise<Divergence | null> {
  try {
    await driver.check();
    return null;
  } catch (e) {
    if (e instanceof LiveDivergenceError) return e.divergence;
    if (e instanceof InfrastructureError) return null;
    throw e;
  }
}

/** A run that failed before its first action: nothing sent, nothing checked. */
function notStarted(p: RunLiveParameters, error: RunLiveResult['error']): RunLiveResult {
  const stats = createLiveStats();
  return {
    ok: false,
    divergence: null,
    replayPath: null,
    actions: 0,
    lastAtMs: 0,
    elapsedMs: 0,
    actionsPerSec: 0,
    stats,
    gasPerType: gasPerType(stats),
    interrupted: false,
    modelStateHash: stateHash(createState(p.params)),
    error,
  };
}

async function runOnChain(
  p: RunLiveParameters,
  rpc: ReturnType<typeof createRpc>,
  anvil: LocalAnvil | null,
): Promise<RunLiveResult> {
  const clock = p.clockMs ?? (() => 0);
  const { driver, deployment, domain } = await openLiveSession({
    rpc,
    params: p.params,
    keys: p.keys,
    build: p.build,
    signatures: p.signatures,
    pinnedKeys: p.pinnedKeys,
  });
  const chain: LiveChain = { chainId: domain.chainId, protocol: deployment.protocol, domain };
  const source = typeof p.actions === 'function' ? p.actions(driver.state, chain) : p.actions;
  const seen: TimedAction[] = [];
  const checkEvery = p.checkEvery ?? 100;
  const started = clock();
  let divergence: Divergence | null = null;
  let error: RunLiveResult['error'] = null;
  let lastAtMs = 0;
  let interrupted = false;
  try {
    for await (const t of source) {
      if (p.shouldStop?.()) {
        interrupted = true;
        break;
      }
      seen.push(structuredClone(t));
      lastAtMs = t.atMs;
      await driver.apply(seen.length - 1, t.atMs, t.action);
      if (checkEvery > 0 && seen.length % checkEvery === 0) await driver.check();
      if (seen.length % 1_000 === 0) p.onProgress?.(seen.length, t.atMs);
    }
    await driver.check();
  } catch (e) {
    if (e instanceof LiveDivergenceError) divergence = e.divergence;
    else if (e instanceof InfrastructureError) {
      error = await describeFailure(e, anvil);
      // What reached a chain that still answers is checked: the run's results up to the failure.
      if (error.kind !== 'AnvilExited') divergence = await checkWhatRan(driver);
    } else throw e;
  }
  const elapsedMs = clock() - started;
  const replayPath = divergence
    ? writeReplayFile({
        dir: p.replayDir ?? 'out',
        params: p.params,
        actions: seen,
        divergence,
        seed: p.seed,
      })
    : null;
  return {
    ok: divergence === null && error === null,
    divergence,
    replayPath,
    actions: seen.length,
    lastAtMs,
    elapsedMs,
    actionsPerSec: elapsedMs > 0 ? (seen.length * 1000) / elapsedMs : 0,
    stats: driver.stats,
    gasPerType: gasPerType(driver.stats),
    interrupted,
    modelStateHash: stateHash(driver.state),
    error,
  };
}
