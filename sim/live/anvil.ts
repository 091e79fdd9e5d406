import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { createAnvil } from '@viem/anvil';
import { InfrastructureError } from '../infrastructureError.ts';
import { supervisorPath } from '../process/supervise.ts';
import { createRpc } from './rpc.ts';

/** Anvil's well-known development mnemonic: its accounts are the only keys used by default. */
export const anvilMnemonic = 'test test test test test test test test test test test junk';
export const anvilChainId = 31337;

export class AnvilStartError extends InfrastructureError {
  override name = 'AnvilStartError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The anvil binary from the @foundry-rs/anvil-<os>-<arch> package (no install script needed). */
export function anvilBinaryPath(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve(`${pkg}/package.json`));
    return join(root, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
  } catch (cause) {
    throw new AnvilStartError(
      `no anvil binary for ${process.platform}-${arch}: install ${pkg}`,
      cause,
    );
  }
}

export interface LocalAnvil {
  url: string;
  port: number;
  /** Resolves with Anvil's exit status when it exits, stopped or not (a crash mid-run). */
  exited: Promise<number>;
  /** The last lines Anvil printed (for messages when it fails). */
  outputTail(): string;
  stop(): Promise<void>;
}

export interface StartAnvilParameters {
  /** Timestamp of the genesis block (seconds); the driver moves it forward from there. */
  timestampSec?: number;
  /** How long Anvil may take to listen (default 30 s). */
  startTimeoutMs?: number;
}

/**
 * Automine off, fee ordering, zero base fee, no block gas limit and no request size limit (2 MB
 * by default; a busy epoch's settlement alone can pass it): the driver packs many transactions
 * into each block and mines them itself. A real chain has both limits: see
 * protocol/contracts/README.md, "Settlement gas". Transactions are mined by gas price: the
 * driver prices each block's transactions in decreasing order, which fixes their order however
 * Anvil interleaves a batch of sends. (@viem/anvil turns these into Anvil's flags.)
 */
const anvilOptions = (timestampSec: number) => ({
  host: '127.0.0.1',
  port: 0,
  chainId: anvilChainId,
  noMining: true,
  order: 'fees',
  blockBaseFeePerGas: 0,
  gasPrice: 0,
  disableBlockGasLimit: true,
  noRequestSizeLimit: true,
  // Persist no old states on disk: otherwise Anvil writes the states that overflow its in-memory
  // window under ~/.foundry/anvil/tmp and never removes them when it is stopped by a signal
  // (250 MB for a 2-day live baseline; 76 GB had piled up on a development machine). The
  // in-memory window stays, which the revert-reason traces of recent blocks need
  // (--prune-history would drop it: debug_traceTransaction answers "Resource not found").
  maxPersistedStates: 0,
  timestamp: timestampSec,
});

const outputTailChars = 2_000;

/**
 * Starts Anvil through @viem/anvil on 127.0.0.1 at a free port the OS picks, under the
 * supervisor (sim/process/supervisor.mjs): @viem/anvil runs `node supervisor.mjs anvil …`, so
 * Anvil dies with this process even on SIGKILL (the supervisor's stdin closes) and runs in its
 * own process group, so a terminal's Ctrl-C reaches only this process, which finishes checking
 * the run before it stops Anvil. @viem/anvil's stop (an abort of its execa call) reaches the
 * supervisor as SIGUSR2, its "stop now". Throws AnvilStartError.
 */
export async function startAnvil(p: StartAnvilParameters = {}): Promise<LocalAnvil> {
  const binary = anvilBinaryPath();
  const anvil = createAnvil({
    ...anvilOptions(p.timestampSec ?? 1_700_000_000),
    anvilBinary: binary,
    startTimeout: p.startTimeoutMs ?? 30_000,
    stopTimeout: 15_000,
    execArgs: ([file, args, options]) => [
      process.execPath,
      [supervisorPath, file, ...(args ?? [])],
      { ...options, killSignal: 'SIGUSR2' },
    ],
  });
  let tail = '';
  anvil.on('message', (m: string) => {
    tail = (tail + m).slice(-outputTailChars);
  });
  const exited = new Promise<number>((resolve) => {
    anvil.on('exit', (code?: number, signal?: string) =>
      resolve(
        code ??
          128 + (signal ? (constants.signals[signal as keyof typeof constants.signals] ?? 0) : 0),
      ),
    );
  });
  const stop = async () => {
    try {
      // Once Anvil has exited (a crash mid-run), @viem/anvil's stop waits for a 'close' event that
      // already fired, until its timer rejects: our own exit status ends that wait.
      await Promise.race([unrefTimers(() => anvil.stop()), exited]);
    } catch {
      // Already gone, or it did not stop in time: the supervisor's stdin closes with us anyway.
    }
  };
  let port: number;
  try {
    await anvil.start();
    const match = /Listening on [\d.]+:(\d+)/.exec(tail);
    if (!match) throw new Error(`no "Listening on" line in: ${tail.trim().split('\n').at(-1)}`);
    port = Number(match[1]);
  } catch (cause) {
    await stop();
    throw new AnvilStartError(`anvil did not start: ${(cause as Error).message}`, cause);
  }
  const url = `http://127.0.0.1:${port}`;
  // Anvil logs every transaction and block to stdout: about a fifth of its time per block.
  const rpc = createRpc(url);
  try {
    await rpc.call('anvil_setLoggingEnabled', [false]);
  } catch (cause) {
    await stop();
    throw new AnvilStartError(`anvil did not answer at ${url}: ${(cause as Error).message}`, cause);
  } finally {
    rpc.close();
  }
  return { url, port, exited, outputTail: () => tail, stop };
}

/**
 * Calls `start` with the timers it sets synchronously unref'd. @viem/anvil's stop() arms a
 * `stopTimeout` timer (15 s here) that it never clears, so a finished `onesim live` (or any
 * caller) would stay alive until it fired; unref'd, it still rejects a stop that hangs while the
 * process has other work, but no longer holds the process open.
 */
function unrefTimers<T>(start: () => Promise<T>): Promise<T> {
  const real = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    real(fn, ms, ...args).unref()) as typeof setTimeout;
  try {
    return start();
  } finally {
    globalThis.setTimeout = real;
  }
}
