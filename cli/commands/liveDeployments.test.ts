import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

// Nothing listens on port 9 of loopback: a run that reached a node would fail otherwise.
const rpc = 'http://127.0.0.1:9';
const model = `0x${'ab'.repeat(32)}`;

describe('onesim live: deployments are refused (the contracts implement none)', () => {
  it('a named scenario with deployments exits 2 naming deployments, before simulating', async () => {
    const r = await runCli(['live', 'deployment-churn', '--rpc', rpc, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^onesim: deployment-churn sets deployments/);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out).toMatchObject({ ok: false, error: { field: 'deployments' } });
  });

  it('an action file that deploys, or registers a worker with memory, exits 2 naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onesim-live-deploy-'));
    const cases: Array<[object, string]> = [
      [
        { type: 'deployModel', owner: `0x${'11'.repeat(20)}`, model, sizeBytes: 1, replicas: 1 },
        'actions[1].action.type',
      ],
      [
        {
          type: 'registerWorker',
          worker: `0x${'22'.repeat(20)}`,
          models: [model],
          slots: 1,
          capacityCuPerSec: '10',
          bondMicroUsdc: '100000000',
          memoryBytes: 1_000,
        },
        'actions[1].action.memoryBytes',
      ],
    ];
    for (const [action, field] of cases) {
      const file = join(dir, 'actions.json');
      writeFileSync(
        file,
        JSON.stringify({
          actions: [
            { atMs: 0, action: { type: 'startDay', day: 0 } },
            { atMs: 1000, action },
          ],
        }),
      );
      const r = await runCli(['live', file, '--rpc', rpc, '--json']);
      expect(r.status, r.stderr).toBe(2);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(out).toMatchObject({ ok: false, error: { field } });
    }
  });
});
