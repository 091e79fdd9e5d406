import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above this file, whether it runs from cli/ or dist/cli/. */
const packageRoot = (() => {
  const up = fileURLToPath(new URL('..', import.meta.url));
  return existsSync(`${up}package.json`) ? up : fileURLToPath(new URL('../..', import.meta.url));
})().replace(/\/$/, '');

/**
 * The onesim commit a run records. In a clone: the checked-out commit. In an installed package
 * (no work tree of its own; a `git` there would answer the user's repository): the commit the
 * package was built from (dist/build-info.json). "unknown" when neither is known.
 */
export function gitCommit(): string {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel', 'HEAD'], {
      cwd: packageRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      // Synchronous and not supervised (sim/process): bounded, so it cannot outlive us by more.
      timeout: 10_000,
    })
      .trim()
      .split('\n');
    if (top[0] === packageRoot && top[1]) return top[1];
  } catch {}
  try {
    const info = JSON.parse(readFileSync(`${packageRoot}/dist/build-info.json`, 'utf8'));
    if (typeof info.commit === 'string') return info.commit;
  } catch {}
  return 'unknown';
}
