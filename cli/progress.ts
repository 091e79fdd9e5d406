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

/** Ctrl-C asks long work to stop after what it is doing; a second Ctrl-C exits at once. */
export function onInterrupt(): { readonly requested: boolean; dispose(): void } {
  let requested = false;
  const handler = () => {
    if (requested) process.exit(130);
    requested = true;
    process.stderr.write(
      '\nonesim: stopping after the current step (Ctrl-C again to quit now); finished results are kept\n',
    );
  };
  process.on('SIGINT', handler);
  return {
    get requested() {
      return requested;
    },
    dispose: () => process.off('SIGINT', handler),
  };
}
