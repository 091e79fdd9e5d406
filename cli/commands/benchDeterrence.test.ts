import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

describe('onesim bench deterrence --sealed-share', () => {
  it('an unknown audit policy exits 2 naming --sealed-policy', async () => {
    const r = await runCli([
      'bench',
      'deterrence',
      '--sealed-share',
      '0.5',
      '--sealed-policy',
      'bogus',
    ]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--sealed-policy="bogus" must list some of opt-in, unaudited, tee/);
  });

  it('every job sealed and unaudited: no rate deters, in the simulator and by the formula (exit 0)', {
    timeout: 120_000,
  }, async () => {
    const r = await runCli([
      'bench',
      'deterrence',
      '--sealed-share',
      '1',
      '--sealed-policy',
      'unaudited',
      '--rates',
      '0.05,0.5',
      '--seeds',
      '1',
      '--days',
      '1',
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]).toMatchObject({
      share: 1,
      policy: 'unaudited',
      auditableShare: 0,
      measuredBoundary: null,
      agrees: true,
    });
    expect(out.rows[0].points.every((pt: { detections: number }) => pt.detections === 0)).toBe(
      true,
    );
    expect(out.command).toContain('--sealed-share 1 --sealed-policy unaudited');
  });
});
