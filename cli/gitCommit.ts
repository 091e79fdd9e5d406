import { execFileSync } from 'node:child_process';

/** The checked-out commit, recorded in every run; "unknown" outside a git work tree. */
export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: new URL('.', import.meta.url).pathname,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      // Synchronous and not supervised (sim/process): bounded, so it cannot outlive us by more.
      timeout: 10_000,
    }).trim();
  } catch {
    return 'unknown';
  }
}
