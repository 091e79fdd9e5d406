import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InfrastructureError } from '../infrastructureError.ts';
import { type SupervisedChild, spawnSupervised } from '../process/supervise.ts';
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
 * Automine off, fee ordering, zero base fee and no block gas limit: the driver packs many
 * transactions into each block and mines them itself. Transactions are mined by gas price: the
 * driver prices each block's transactions in decreasing order, which fixes their order however
 * Anvil interleaves a batch of sends.
 */
const anvilArgs = (timestampSec: number): string[] => [
  '--host',
  '127.0.0.1',
  '--port',
  '0',
  '--chain-id',
  String(anvilChainId),
  '--no-mining',
  '--order',
  'fees',
  '--block-base-fee-per-gas',
  '0',
  '--gas-price',
  '0',
  '--disable-block-gas-limit',
  '--timestamp',
  String(timestampSec),
];

const outputTailChars = 2_000;

/**
 * Starts Anvil on 127.0.0.1 at a free port the OS picks, under the supervisor
 * (sim/process/supervise.ts): it dies with this process even on SIGKILL, and runs in its own
 * process group, so a terminal's Ctrl-C reaches only this process, which finishes checking the
 * run before it stops Anvil. Throws AnvilStartError.
 */
export async function startAnvil(p: StartAnvilParameters = {}): Promise<LocalAnvil> {
  const child = spawnSupervised(anvilBinaryPath(), anvilArgs(p.timestampSec ?? 1_700_000_000));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-outputTailChars);
  };
  child.process.stdout.on('data', keep);
  child.process.stderr.on('data', keep);
  // A forgotten Anvil never keeps this process alive: its exit closes the supervisor's stdin.
  child.process.unref();
  for (const s of [child.process.stdin, child.process.stdout, child.process.stderr])
    (s as unknown as { unref?: () => void }).unref?.();
  let port: number;
  try {
    port = await listeningPort(child, () => tail, p.startTimeoutMs ?? 30_000);
  } catch (cause) {
    await child.stop();
    throw new AnvilStartError(`anvil did not start: ${(cause as Error).message}`, cause);
  }
  const url = `http://127.0.0.1:${port}`;
  // Anvil logs every transaction and block to stdout: about a fifth of its time per block.
  const rpc = createRpc(url);
  try {
    await rpc.call('anvil_setLoggingEnabled', [false]);
  } catch (cause) {
    await child.stop();
    throw new AnvilStartError(`anvil did not answer at ${url}: ${(cause as Error).message}`, cause);
  } finally {
    rpc.close();
  }
  return {
    url,
    port,
    exited: child.exited,
    outputTail: () => tail,
    stop: async () => {
      await child.stop();
    },
  };
}

/** Waits for Anvil's "Listening on 127.0.0.1:<port>" line. */
function listeningPort(
  child: SupervisedChild,
  output: () => string,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`not listening after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = () => {
      const match = /Listening on [\d.]+:(\d+)/.exec(output());
      if (match) finish(null, Number(match[1]));
    };
    const finish = (error: Error | null, port?: number) => {
      clearTimeout(timer);
      child.process.stdout.off('data', onData);
      child.process.stderr.off('data', onData);
      if (error) reject(error);
      else resolve(port!);
    };
    child.process.stdout.on('data', onData);
    child.process.stderr.on('data', onData);
    void child.exited.then((status) =>
      finish(
        new Error(`exited with status ${status}: ${output().trim().split('\n').at(-1) ?? ''}`),
      ),
    );
  });
}
