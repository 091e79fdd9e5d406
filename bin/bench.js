#!/usr/bin/env node
// `npm run bench [-- filter]`: runs every *.bench.ts file (or those whose path contains the
// filter). Each bench file exports `default async function (): Promise<void>` that prints its
// figures and the command that reproduces them. Benchmarks are never part of `npm test`.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', '.git', 'out', '.stryker-tmp']);
function walk(dir, found) {
  for (const name of readdirSync(dir)) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (name.endsWith('.bench.ts')) found.push(path);
  }
  return found;
}
const filters = process.argv.slice(2);
const files = walk(root, [])
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no *.bench.ts file matches ${JSON.stringify(filters)}`);
  process.exit(2);
}
for (const file of files) {
  console.log(`\n## ${file}`);
  const mod = await import(pathToFileURL(join(root, file)).href);
  await mod.default();
}
