import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Deterministic, cached compilation of the contracts with solc-js (no network, no native
 * solc): fixed compiler settings, output cached under `.cache/contracts/<hash>.json` where the
 * hash covers the compiler version, the settings and every source (OpenZeppelin's included).
 * The live driver loads ABI and bytecode only through `buildContracts`.
 */

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');
const srcDir = join(here, 'src');
const cacheDir = join(repoRoot, '.cache', 'contracts');
const ozRoot = dirname(require.resolve('@openzeppelin/contracts/package.json'));

/** Fixed settings: a change here changes every cache key. */
export const compilerSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

export const contractNames = ['OneProtocol', 'OneProtocolViews', 'OneToken', 'TestUsdc'] as const;
export type ContractName = (typeof contractNames)[number];

export interface CompiledContract {
  abi: readonly unknown[];
  bytecode: `0x${string}`;
  deployedSizeBytes: number;
}

export interface BuildResult {
  key: string;
  solcVersion: string;
  fromCache: boolean;
  contracts: Record<ContractName, CompiledContract>;
}

export interface BuildContractsParameters {
  /** Rewrites a source before compiling (mutation tests); the cache key follows the result. */
  transform?: (file: string, source: string) => string;
}

export class ContractBuildError extends Error {
  override name = 'ContractBuildError';
  constructor(readonly errors: string[]) {
    super(`solc failed:\n${errors.join('\n')}`);
  }
}

/** Our sources, then every OpenZeppelin file they import (transitively), by import path. */
function collectSources(transform?: BuildContractsParameters['transform']): Map<string, string> {
  const sources = new Map<string, string>();
  const pending: string[] = [];
  for (const name of readdirSync(srcDir)
    .filter((f) => f.endsWith('.sol'))
    .sort()) {
    const text = readFileSync(join(srcDir, name), 'utf8');
    sources.set(name, transform ? transform(name, text) : text);
    pending.push(name);
  }
  while (pending.length > 0) {
    const file = pending.pop()!;
    for (const m of sources.get(file)!.matchAll(/^import\s+[^"']*["']([^"']+)["']/gm)) {
      const resolved = resolveImport(file, m[1]!);
      if (sources.has(resolved)) continue;
      if (!resolved.startsWith('@openzeppelin/contracts/'))
        throw new ContractBuildError([`${file}: cannot resolve import ${m[1]}`]);
      sources.set(
        resolved,
        readFileSync(join(ozRoot, resolved.slice('@openzeppelin/contracts/'.length)), 'utf8'),
      );
      pending.push(resolved);
    }
  }
  return new Map([...sources].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function resolveImport(from: string, path: string): string {
  if (!path.startsWith('.')) return path;
  const parts = from.split('/').slice(0, -1);
  for (const seg of path.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

function cacheKey(solcVersion: string, sources: Map<string, string>): string {
  // The output's shape is part of the key: the contracts kept and the merged protocol ABI.
  const shape = { contractNames, protocolAbi: 'OneProtocol+OneProtocolViews' };
  const h = createHash('sha256')
    .update(solcVersion)
    .update(JSON.stringify(compilerSettings))
    .update(JSON.stringify(shape));
  for (const [path, text] of sources) h.update(`\0${path}\0${text}`);
  return h.digest('hex').slice(0, 32);
}

/** Compiles (or loads from the cache) the protocol contracts. Throws ContractBuildError. */
export function buildContracts(p: BuildContractsParameters = {}): BuildResult {
  const solc = require('solc') as { version(): string; compile(input: string): string };
  const solcVersion = solc.version();
  const sources = collectSources(p.transform);
  const key = cacheKey(solcVersion, sources);
  const file = join(cacheDir, `${key}.json`);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Omit<BuildResult, 'fromCache'>;
    if (cached.key === key) return { ...cached, fromCache: true };
  } catch {
    // not cached yet
  }
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries([...sources].map(([path, content]) => [path, { content }])),
    settings: compilerSettings,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? [])
    .filter((e) => e.severity === 'error')
    .map((e) => e.formattedMessage);
  if (errors.length > 0) throw new ContractBuildError(errors);
  const contracts = {} as Record<ContractName, CompiledContract>;
  for (const name of contractNames) {
    const c = output.contracts?.[`${name}.sol`]?.[name];
    if (!c) throw new ContractBuildError([`no output for ${name}`]);
    contracts[name] = {
      abi: c.abi,
      bytecode: `0x${c.evm.bytecode.object}`,
      deployedSizeBytes: c.evm.deployedBytecode.object.length / 2,
    };
  }
  // OneProtocol forwards the calls it does not know to OneProtocolViews (delegatecall): the ABI
  // at its address is both.
  const own = new Set(contracts.OneProtocol.abi.map((x) => JSON.stringify(x)));
  contracts.OneProtocol.abi = [
    ...contracts.OneProtocol.abi,
    ...contracts.OneProtocolViews.abi.filter(
      (x) => (x as { type: string }).type === 'function' && !own.has(JSON.stringify(x)),
    ),
  ];
  const result = { key, solcVersion, contracts };
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result));
  renameSync(tmp, file);
  return { ...result, fromCache: false };
}

interface SolcOutput {
  errors?: Array<{ severity: string; formattedMessage: string }>;
  contracts?: Record<
    string,
    Record<
      string,
      {
        abi: unknown[];
        evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
      }
    >
  >;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const r = buildContracts();
  const ms = Math.round(performance.now() - started);
  console.log(
    `solc ${r.solcVersion} · key ${r.key} · ${r.fromCache ? 'cached' : 'compiled'} in ${ms} ms`,
  );
  for (const name of contractNames)
    console.log(`  ${name}: ${r.contracts[name].deployedSizeBytes} bytes deployed`);
}
