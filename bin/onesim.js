#!/usr/bin/env node
// Launcher. An installed package runs the compiled CLI (dist/, built by `prepare`/`prepack`).
// In a clone, dist/ is used only while it is newer than every source file; otherwise (or with
// ONESIM_FROM_SOURCE=1) the TypeScript sources run through tsx, so an edit is never ignored.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/build-info.json`;
const sourceDirs = ['protocol', 'sim', 'scenarios', 'gpu-harness', 'reports', 'cli'];

/** Newest modification time of the sources the build compiles (tests and benches aside). */
function newestSourceMs() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|mjs|sol)$/.test(e.name) && !/\.(test|bench)\.ts$/.test(e.name))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of sourceDirs) if (existsSync(`${root}${d}`)) walk(`${root}${d}`);
  return newest;
}

function useCompiled() {
  if (!existsSync(stamp)) return false;
  if (!existsSync(`${root}cli/main.ts`)) return true; // an installed package: no sources
  if (process.env.ONESIM_FROM_SOURCE === '1') return false;
  return statSync(stamp).mtimeMs >= newestSourceMs();
}

let main;
if (useCompiled()) ({ main } = await import('../dist/cli/main.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
// A reader that stops early (`onesim --help | head`) closes stdout: end quietly, as Unix tools
// do, rather than with an unhandled EPIPE and a stack trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv);
