import { constants as osConstants } from 'node:os';
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** A progress bar with ETA on stderr when it is a terminal; silent otherwise (CI, pipes). */
export function createProgress(label: string, total: number): Progress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total} | ETA {eta_formatted}`,
    etaBuffer: 20,
    hideCursor: true,
  });
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** Signals that ask long work to stop and keep what it finished: Ctrl-C, kill, a closed terminal. */
export const interruptSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type InterruptSignal = (typeof interruptSignals)[number];

/** The signal that interrupted the command running in this process, if one did. */
let interruptedBy: InterruptSignal | null = null;

/** The shell's exit status for a process stopped by `signal`: 128 + its number (SIGINT: 130). */
export const signalExitCode = (signal: InterruptSignal): number =>
  128 + osConstants.signals[signal];

/**
 * Exit status of a command that stopped early on a signal (130 after Ctrl-C, 143 after SIGTERM,
 * 129 after SIGHUP), or null when none arrived; `main` returns it. `reset` starts a new command.
 */
export function interruptExitCode(o: { reset?: boolean } = {}): number | null {
  const code = interruptedBy === null ? null : signalExitCode(interruptedBy);
  if (o.reset) interruptedBy = null;
  return code;
}

export interface Interrupt {
  readonly requested: boolean;
  /** Aborted with the first signal, for APIs that take an AbortSignal. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * SIGINT, SIGTERM or SIGHUP ask long work to stop after what it is doing (its finished results
 * are kept and printed; the command then exits 128 + the signal's number); a second one exits at
 * once. Child processes die with this process either way (sim/process/supervisor.mjs).
 */
export function onInterrupt(): Interrupt {
  const controller = new AbortController();
  const handler = (signal: InterruptSignal) => {
    if (controller.signal.aborted) process.exit(signalExitCode(signal));
    interruptedBy ??= signal;
    controller.abort(signal);
    process.stderr.write(
      `\nonesim: ${signal}: stopping after the current step (again to quit now); finished results are kept\n`,
    );
  };
  for (const s of interruptSignals) process.on(s, handler);
  return {
    get requested() {
      return controller.signal.aborted;
    },
    signal: controller.signal,
    dispose: () => {
      for (const s of interruptSignals) process.off(s, handler);
    },
  };
}
