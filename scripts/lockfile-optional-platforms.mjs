#!/usr/bin/env node
// The registry these machines reach serves only the linux builds of some platform-specific
// optional packages (biome's CLI, anvil's binary). npm then leaves the other platforms out of
// package-lock.json and `npm ci` refuses the lock as out of sync. This adds each missing
// optional platform package as a lock entry with its os/cpu/libc, so npm ci skips it on a
// platform it does not fit. Run after any `npm install`: node scripts/lockfile-optional-platforms.mjs
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const cpus = { amd64: 'x64', x64: 'x64', arm64: 'arm64' };
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `${key === '' ? '' : `${key}/`}node_modules/${name}`.replace(/^\//, '');
    const hoisted = `node_modules/${name}`;
    if (lock.packages[target] || lock.packages[hoisted]) continue;
    const m = name.match(/-(linux|darwin|win32|android|freebsd)-(x64|amd64|arm64)(-musl)?$/);
    if (!m) continue;
    lock.packages[hoisted] = {
      version,
      optional: true,
      os: [m[1]],
      cpu: [cpus[m[2]]],
      ...(m[3] ? { libc: ['musl'] } : m[1] === 'linux' ? { libc: ['glibc'] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
writeFileSync(`${path.pathname}.tmp`, `${JSON.stringify(lock, null, 2)}\n`);
renameSync(`${path.pathname}.tmp`, path.pathname);
console.log(`lockfile: added ${added} optional platform entries`);
