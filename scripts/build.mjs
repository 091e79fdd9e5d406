#!/usr/bin/env node
// `npm run build` (also run by `prepare`, so a fresh clone has it after `npm ci`, and by
// `npm pack`): compiles protocol/ sim/ scenarios/ gpu-harness/ reports/ cli/ to JavaScript with
// .d.ts types under dist/, copies what the compiled code reads at run time (the Solidity
// sources), and records the commit it was built from in dist/build-info.json.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const started = performance.now();
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
} catch {
  process.stderr.write('build: tsc failed (see above)\n');
  process.exit(1);
}
const sol = join(root, 'protocol', 'contracts', 'src');
mkdirSync(join(dist, 'protocol', 'contracts', 'src'), { recursive: true });
for (const f of readdirSync(sol).filter((f) => f.endsWith('.sol')))
  cpSync(join(sol, f), join(dist, 'protocol', 'contracts', 'src', f));
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
} catch {}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(join(dist, 'build-info.json'), `${JSON.stringify({ version, commit }, null, 2)}\n`);
process.stdout.write(
  `build: dist/ for onesim ${version} (${commit.slice(0, 12)}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
