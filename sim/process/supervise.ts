import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The supervisor script (see its header): `node supervisor.mjs <file> [args…]`. */
export const supervisorPath = fileURLToPath(new URL('./supervisor.mjs', import.meta.url));

const stopTimeoutMs = 10_000;

export interface SupervisedChild {
  /** The supervisor process; the child's stdout and stderr come out of its streams. */
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the child's exit status (128 + signal number when killed). */
  readonly exited: Promise<number>;
  /** Closes the supervisor's stdin: SIGTERM to the child's group, SIGKILL after a grace. */
  stop(): Promise<number>;
}

/**
 * Spawns `file args` under the supervisor (sim/process/supervisor.mjs). Every child process
 * onesim starts goes through here, because the child then dies with this process however this
 * process ends, SIGKILL included: the supervisor stops it when its stdin, a pipe only this
 * process holds, closes. Signals sent to this process group (a terminal's Ctrl-C, SIGTERM from
 * `timeout`) reach neither the supervisor nor the child, which runs in its own group: this
 * process stops it when it is done with it (`stop()`).
 */
export function spawnSupervised(
  file: string,
  args: readonly string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): SupervisedChild {
  const child = spawn(process.execPath, [supervisorPath, file, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: o.env,
    cwd: o.cwd,
  });
  // A write after the supervisor is gone must not crash this process (nothing is written).
  child.stdin.on('error', () => {});
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(code ?? 128 + (signal === null ? 0 : osConstants.signals[signal])),
    );
    child.once('error', () => resolve(127));
  });
  return {
    process: child,
    exited,
    stop: () => {
      // Waiting for the exit keeps this process alive even when the caller unref'd the child.
      child.ref();
      child.stdin.end();
      // The supervisor escalates to SIGKILL after its grace; this bound is for a stuck supervisor.
      const stuck = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      return exited.finally(() => clearTimeout(stuck));
    },
  };
}
