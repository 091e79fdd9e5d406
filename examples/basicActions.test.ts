import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicActions } from './basicActions.ts';

const onesim = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/onesim.js', ...args], { encoding: 'utf8' });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('onesim apply', () => {
  it('the committed example is what the generator writes', () => {
    expect(readFileSync('examples/basic-actions.json', 'utf8')).toBe(basicActions());
  });

  it('replays the example with real signatures: all accepted, invariants hold, exit 0', () => {
    const r = onesim('apply', 'examples/basic-actions.json', '--json', '--strict');
    expect(r.status).toBe(0);
    const out = lastJson(r.stdout);
    expect(out.rejections).toEqual([]);
    expect(out.invariants).toEqual([]);
    expect(out.summary['receipts settled']).toBe('6');
    expect(out.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
  });

  it('reports a tampered action (exit 1 with --strict) and bad input (exit 2, field named)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-apply-'));
    const file = JSON.parse(readFileSync('examples/basic-actions.json', 'utf8'));
    const complete = file.actions.find(
      (a: { action: { type: string } }) => a.action.type === 'completeJob',
    );
    complete.action.receipt.resultHash = `0x${'ee'.repeat(32)}`;
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(file));
    const r = onesim('apply', join(dir, 'tampered.json'), '--strict', '--json');
    expect(r.status).toBe(1);
    expect(lastJson(r.stdout).rejections[0]).toMatchObject({ code: 'BadSignature' });
    file.actions[0].action.amount = '-5';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(file));
    const bad = onesim('apply', join(dir, 'bad.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('actions.0.action');
    expect(onesim('apply', 'examples/basic-actions.json', '--verifier', 'rsa').status).toBe(2);
  });
});
