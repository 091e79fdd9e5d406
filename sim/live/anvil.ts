import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createAnvil } from '@viem/anvil';
import { createRpc } from './rpc.ts';

/** Anvil's well-known development mnemonic: its accounts are the only keys used by default. */
export const anvilMnemonic = 'test test test test test test test test test test test junk';
export const anvilChainId = 31337;

export class AnvilStartError extends Error {
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
  stop(): Promise<void>;
}

export interface StartAnvilParameters {
  /** Timestamp of the genesis block (seconds); the driver moves it forward from there. */
  timestampSec?: number;
  /**
   * Run Anvil in its own process group: a terminal's Ctrl-C (sent to the foreground group) then
   * reaches only this process, which can finish and check the run before it stops Anvil. It is
   * stopped by `stop()` or when this process exits (not if it is killed outright).
   */
  ownProcessGroup?: boolean;
}

/**
 * Starts Anvil on 127.0.0.1 at a free port the OS picks, with automine off, fee ordering, zero
 * base fee and no block gas limit: the driver packs many transactions into each block and mines
 * them itself.
 */
export async function startAnvil(p: StartAnvilParameters = {}): Promise<LocalAnvil> {
  const anvil = createAnvil({
    anvilBinary: anvilBinaryPath(),
    host: '127.0.0.1',
    port: 0,
    chainId: anvilChainId,
    noMining: true,
    // Transactions are mined by gas price: the driver prices each block's transactions in
    // decreasing order, which fixes their order however Anvil interleaves a batch of sends.
    order: 'fees',
    blockBaseFeePerGas: 0,
    gasPrice: 0,
    disableBlockGasLimit: true,
    timestamp: p.timestampSec ?? 1_700_000_000,
    startTimeout: 30_000,
    // @viem/anvil leaves its stop timer running: a short one lets the process exit promptly.
    stopTimeout: 1_500,
    // Detached children are not cleaned up by execa; the exit hook below stops it instead.
    ...(p.ownProcessGroup
      ? { execArgs: ([file, args, options]) => [file, args, { ...options, detached: true }] }
      : {}),
  });
  let port = 0;
  const stopListening = anvil.on('message', (m: string) => {
    const match = /Listening on [\d.]+:(\d+)/.exec(m);
    if (match) port = Number(match[1]);
  });
  try {
    await anvil.start();
  } catch (cause) {
    throw new AnvilStartError(`anvil did not start: ${(cause as Error).message}`, cause);
  } finally {
    stopListening();
  }
  if (port === 0) {
    await anvil.stop();
    throw new AnvilStartError('anvil started but did not print its port');
  }
  // Aborting kills the child synchronously, so this works in an exit handler too.
  const onExit = () => void anvil.stop();
  process.once('exit', onExit);
  const url = `http://127.0.0.1:${port}`;
  // Anvil logs every transaction and block to stdout: about a fifth of its time per block.
  const rpc = createRpc(url);
  try {
    await rpc.call('anvil_setLoggingEnabled', [false]);
  } finally {
    rpc.close();
  }
  return {
    url,
    port,
    stop: () => {
      process.off('exit', onExit);
      return anvil.stop();
    },
  };
}
