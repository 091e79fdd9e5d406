import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invariantNames } from '../../protocol/invariants/stateInvariants.ts';
import { rejectionCodes } from '../../protocol/rejections.ts';
import { runCli } from '../testing/runCli.ts';

// In process, through main as bin/onesim.js calls it: output and exit codes are the subject.
const onesim = (args: string[], env: Record<string, string> = {}) => runCli(args, env);
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('onesim audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onesim-audit-'));

  it('runs a small audit: a table of every check, code and rare state; exit 0', async () => {
    const r = await onesim([
      'audit',
      '--runs',
      '20',
      '--seed',
      '1',
      '--failures',
      join(dir, 'clean'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('audit seed 1: 20 runs');
    for (const name of [
      ...invariantNames,
      ...rejectionCodes,
      'slashed worker',
      'faulty PoA day',
      'reservation ended with refund',
      'claim made',
    ])
      expect(r.stdout).toContain(name);
    expect(r.stdout).toContain('← never');
    // Job-related codes by lane: pushed and leased jobs of both lanes.
    expect(r.stdout).toMatch(
      /rejection codes by lane[^\n]*\ncode +included +dedicated +included leased +dedicated leased\n/,
    );
    expect(r.stdout).toMatch(/\nBadSignature( +\d+){4}/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('all checks hold');
  });

  it('--json prints one object last; the same seed gives the same findings', async () => {
    const args = [
      'audit',
      '--runs',
      '20',
      '--seed',
      '1',
      '--failures',
      join(dir, 'json'),
      '--json',
    ];
    const a = lastJson((await onesim(args)).stdout);
    const b = lastJson((await onesim(args)).stdout);
    expect(a).toMatchObject({ seed: 1, runs: 20, ok: true, findings: [], live: null });
    expect(Object.keys(a.coverage.checks)).toEqual(expect.arrayContaining([...invariantNames]));
    expect(a.coverage.lanes.BadSignature).toEqual({
      included: expect.any(Number),
      dedicated: expect.any(Number),
      'included leased': expect.any(Number),
      'dedicated leased': expect.any(Number),
    });
    expect(Array.isArray(a.lanesUnreached)).toBe(true);
    expect({ ...b, elapsedMs: 0 }).toEqual({ ...a, elapsedMs: 0 });
  });

  it('exits 1 on a planted bug, with the failure saved and exported', async () => {
    const r = await onesim(
      // Shrinking is runAudit's test's subject: here a few seconds of it are enough.
      [
        'audit',
        '--runs',
        '20',
        '--seed',
        '1',
        '--failures',
        join(dir, 'bug'),
        '--shrink-time',
        '3s',
        '--json',
      ],
      {
        ONESIM_AUDIT_MUTANT: 'freeWithdraw',
      },
    );
    expect(r.status).toBe(1);
    const [f] = lastJson(r.stdout).findings;
    expect(f).toMatchObject({ check: 'conservation' });
    expect(f.trace).toMatch(/trace\.jsonl\.gz$/);
    expect(f.test).toMatch(/regression\.test\.ts$/);
  });

  it('gives up shrinking after --shrink-time: the best case so far, its run seed and replay path', async () => {
    const r = await onesim(
      [
        'audit',
        '--runs',
        '20',
        '--seed',
        '1',
        '--failures',
        join(dir, 'budget'),
        '--shrink-time',
        '1ms',
        '--json',
      ],
      { ONESIM_AUDIT_MUTANT: 'freeWithdraw' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('shrinking the conservation failure (gives up after');
    const [f] = lastJson(r.stdout).findings;
    expect(f).toMatchObject({ check: 'conservation', shrinkGaveUp: true });
    expect(f.shrinkPath).toMatch(/^\d+(:\d+)*$/);
    const saved = JSON.parse(readFileSync(join(f.folder, 'failure.json'), 'utf8'));
    expect(saved.shrink).toEqual({ tried: expect.any(Number), gaveUp: true, path: f.shrinkPath });
    const text = await onesim(
      [
        'audit',
        '--runs',
        '20',
        '--seed',
        '1',
        '--failures',
        join(dir, 'budget2'),
        '--shrink-time',
        '1ms',
      ],
      { ONESIM_AUDIT_MUTANT: 'freeWithdraw' },
    );
    expect(text.stdout).toContain('shrinking gave up after its time (--shrink-time): best so far');
    expect(text.stdout).toMatch(/run seed \d+, replay path \d+/);
  });

  it('refuses bad input with exit 2 naming the field', async () => {
    for (const [args, field] of [
      [['--runs', '0'], '--runs'],
      [['--runs', '5', '--time', '1m'], '--runs'],
      [['--time', 'soon'], '--time'],
      [['--seed', '-1'], '--seed'],
      [['--shrink-time', '0s'], '--shrink-time'],
    ] as const) {
      const r = await onesim(['audit', ...args, '--failures', join(dir, 'bad')]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(field);
    }
    const r = await onesim(['audit', '--runs', '1'], { ONESIM_AUDIT_MUTANT: 'nope' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ONESIM_AUDIT_MUTANT');
  });
});
