import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering ARCHITECTURE.md and STYLE.md ask for, checked on the sources:
 * - protocol/ imports nothing outside itself and does no I/O, no clock, no randomness (the one
 *   explicit exception: protocol/contracts/build.ts compiles the Solidity sources with solc-js
 *   and caches the result on disk; nothing else in protocol/ imports it);
 * - reports/ reads run folders: it imports no simulator code, only the types of the files it
 *   reads (`import type`) and the small I/O helpers of sim/io/ (atomic writes, CSV, JSON);
 * - gpu-harness/ imports, of the other folders, only protocol/ and sim/io/;
 * - sim/io/ imports nothing from the other folders (so reports/ and gpu-harness/ can use it);
 * - nothing outside tests, benches and testing/ folders imports a testing/ module.
 */
const root = process.cwd();
const folders = ['protocol', 'sim', 'scenarios', 'gpu-harness', 'reports', 'cli'];

type Source = { path: string; text: string; imports: Array<{ spec: string; typeOnly: boolean }> };

function sources(): Source[] {
  const out: Source[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs)$/.test(e.name)) {
        const text = readFileSync(path, 'utf8');
        const imports = [
          ...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm),
          ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
          ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
        ].map((m) => ({ spec: m[3] ?? m[1]!, typeOnly: m[2] !== undefined }));
        out.push({ path: relative(root, path), text, imports });
      }
    }
  };
  for (const f of folders) walk(join(root, f));
  return out;
}

const all = sources();
const isTestish = (p: string) => /\.(test|bench)\.ts$/.test(p) || p.includes('/testing/');
const production = all.filter((s) => !isTestish(s.path));
const resolved = (from: string, spec: string) =>
  spec.startsWith('.') ? relative(root, join(root, from, '..', spec)) : spec;

describe('layering', () => {
  it('protocol/ imports nothing outside itself and does no I/O, clock or randomness', () => {
    const ioModules =
      /^node:(fs|fs\/promises|child_process|net|http|https|dgram|worker_threads|os|process|readline)$/;
    const bad: string[] = [];
    for (const s of production.filter((x) => x.path.startsWith('protocol/'))) {
      if (s.path === 'protocol/contracts/build.ts') continue; // the explicit exception (above)
      for (const { spec } of s.imports) {
        const target = resolved(s.path, spec);
        if (spec.startsWith('.') && !target.startsWith('protocol/'))
          bad.push(`${s.path} imports ${target}`);
        if (ioModules.test(spec)) bad.push(`${s.path} imports ${spec} (I/O)`);
        if (target === 'protocol/contracts/build.ts')
          bad.push(`${s.path} imports the contract build`);
      }
      for (const m of s.text.matchAll(/\b(Date\.now|Math\.random|performance\.now|new Date)\s*\(/g))
        bad.push(`${s.path} calls ${m[1]}`);
    }
    expect(bad).toEqual([]);
  });

  it('reports/ imports no simulator or harness code (only the types of the files it reads and sim/io/)', () => {
    const bad: string[] = [];
    for (const s of production.filter((x) => x.path.startsWith('reports/')))
      for (const { spec, typeOnly } of s.imports) {
        const target = resolved(s.path, spec);
        if (
          /^(sim|gpu-harness|cli|scenarios)\//.test(target) &&
          !typeOnly &&
          !/^sim\/io\//.test(target)
        )
          bad.push(`${s.path} imports ${target}`);
      }
    expect(bad).toEqual([]);
  });

  it('gpu-harness/ imports only protocol/ and sim/io/; sim/io/ imports only itself', () => {
    const bad: string[] = [];
    for (const s of production) {
      const inHarness = s.path.startsWith('gpu-harness/');
      const inIo = s.path.startsWith('sim/io/');
      if (!inHarness && !inIo) continue;
      for (const { spec } of s.imports) {
        if (!spec.startsWith('.')) continue;
        const target = resolved(s.path, spec);
        const ok = inIo
          ? target.startsWith('sim/io/')
          : /^(gpu-harness|protocol|sim\/io)\//.test(target);
        if (!ok) bad.push(`${s.path} imports ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('nothing outside tests imports a testing/ module', () => {
    const bad = production.flatMap((s) =>
      s.imports
        .filter(({ spec }) => /(^|\/)testing\//.test(resolved(s.path, spec)))
        .map(({ spec }) => `${s.path} imports ${resolved(s.path, spec)}`),
    );
    expect(bad).toEqual([]);
  });

  it('finds the imports it checks (a broken pattern would pass everything)', () => {
    const step = all.find((s) => s.path === 'protocol/step.ts')!;
    expect(step.imports.map((i) => i.spec)).toContain('./handlers/completion.ts');
    const sweep = all.find((s) => s.path === 'reports/sweepReport.ts')!;
    expect(sweep.imports.some((i) => i.typeOnly)).toBe(true);
  });
});
