import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

/**
 * onesim as its users get it: `npm pack`, then `npm install <tarball> --omit=dev` in an empty
 * folder of their own. The CLI must run, the package entry points must import and type-check,
 * and the tarball must hold no tests, mutation results or outputs. Uses the dist/ that `npm test`
 * builds first (`npm run build`). The consumer type-checks with Node's types, which onesim's
 * declarations use (KeyObject, Server) and which it depends on.
 */
const root = process.cwd();
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      ONNXRUNTIME_NODE_INSTALL: 'skip',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });

function newestSourceMs(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|mjs|sol)$/.test(e.name) && !/\.(test|bench)\.ts$/.test(e.name))
        newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of ['protocol', 'sim', 'scenarios', 'gpu-harness', 'reports', 'cli']) walk(d);
  return newest;
}

describe('the packed onesim, installed with --omit=dev', () => {
  it('is built from the current sources', () => {
    const stamp = join(root, 'dist', 'build-info.json');
    expect(existsSync(stamp), 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    expect(
      statSync(stamp).mtimeMs >= newestSourceMs(),
      'dist/ is older than the sources: run `npm run build` (npm test does)',
    ).toBe(true);
  });

  it('installs into an empty project: the CLI runs, the entry points import and type-check', {
    timeout: 600_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-pack-'));
    // An installed project with its node_modules: about 550 MB, removed when the test ends.
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const packed = JSON.parse(
      npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/protocol/index.d.ts');
    expect(files).toContain('dist/protocol/contracts/src/OneProtocol.sol');
    expect(files).toContain('bin/onesim.js');
    expect(
      files.filter(
        (f) => /\.test\.|\.bench\.|^mutation\/|^out\/|\.ts$/.test(f) && !f.endsWith('.d.ts'),
      ),
    ).toEqual([]);

    const project = join(dir, 'consumer');
    execFileSync('mkdir', [project]);
    writeFileSync(
      join(project, 'package.json'),
      '{"name":"consumer","private":true,"type":"module"}\n',
    );
    npm(
      [
        'install',
        join(dir, packed[0]!.filename),
        '--omit=dev',
        '--prefer-offline',
        '--no-package-lock',
      ],
      project,
    );
    const onesim = (...args: string[]) =>
      spawnSync(join(project, 'node_modules', '.bin', 'onesim'), args, {
        cwd: project,
        encoding: 'utf8',
        timeout: 120_000,
      });
    const help = onesim('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: onesim');
    const run = onesim('run', 'baseline', '--days', '1', '--out', join(project, 'out'));
    expect([0, 1], run.stderr).toContain(run.status); // 1: an expectation failed, the run completed
    const summary = JSON.parse(readFileSync(join(project, 'out', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ scenario: 'baseline', status: 'completed' });
    expect(summary.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);

    writeFileSync(
      join(project, 'check.ts'),
      [
        "import { createState, resolveParams, simVerifier, step } from 'onesim/protocol';",
        "import { loadScenario, scenarios } from 'onesim/scenarios';",
        "import { runSimulation } from 'onesim/sim';",
        'const state = createState(resolveParams({}));',
        "const r = step(state, { type: 'startDay', day: 0 }, 0, { verifier: simVerifier });",
        'export const ok: boolean =',
        "  r.ok && scenarios.baseline!.name === 'baseline' && typeof runSimulation === 'function' && typeof loadScenario === 'function';",
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      {
        encoding: 'utf8',
      },
    );
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    const imported = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import('onesim/protocol').then((p) => console.log(typeof p.step))",
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(imported.stdout.trim(), imported.stderr).toBe('function');
  });
});
