import type { BuildResult } from '../../protocol/contracts/build.ts';
import type { Params } from '../../protocol/params.ts';
import type { ReceiptDomain } from '../../protocol/receipts/eip712.ts';
import { stateHash } from '../../protocol/stateHash.ts';
import type { Hex, State } from '../../protocol/types.ts';
import type { KeySource } from './accounts.ts';
import { startAnvil } from './anvil.ts';
import { type Divergence, LiveDivergenceError } from './liveDriver.ts';
import type { TimedAction } from './randomActions.ts';
import { writeReplayFile } from './replayFile.ts';
import { createRpc } from './rpc.ts';
import { openLiveSession } from './session.ts';
import { gasPerType, type LiveStats } from './stats.ts';

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
}

/** Runs actions against the model and the contracts side by side; stops at the first divergence. */
export async function runLive(p: RunLiveParameters): Promise<RunLiveResult> {
  const anvil = p.rpcUrl ? null : await startAnvil();
  const rpc = createRpc(p.rpcUrl ?? anvil!.url, { allowRemote: p.allowRemote });
  try {
    return await runOnChain(p, rpc);
  } finally {
    rpc.close();
    await anvil?.stop();
  }
}

async function runOnChain(
  p: RunLiveParameters,
  rpc: ReturnType<typeof createRpc>,
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
    if (!(e instanceof LiveDivergenceError)) throw e;
    divergence = e.divergence;
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
    ok: divergence === null,
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
  };
}
