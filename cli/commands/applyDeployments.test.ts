import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

const model = `0x${'ab'.repeat(32)}`;
const worker = '0x0000000200000000000000000000000000000001';

describe('onesim apply with deployment actions (JSON as in traces and action files)', () => {
  it('applies them, prints typed rejections and the deployments line of the state', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'onesim-apply-deploy-')), 'actions.json');
    const at = (atMs: number, action: object) => ({ atMs, action });
    writeFileSync(
      file,
      JSON.stringify({
        params: { kycRequired: false },
        actions: [
          at(0, { type: 'deposit', account: worker, asset: 'usdc', amount: '1000000000' }),
          at(0, {
            type: 'registerWorker',
            worker,
            models: [model],
            slots: 1,
            capacityCuPerSec: '10',
            bondMicroUsdc: '500000000',
            memoryBytes: 16_000_000_000,
            region: 'eu',
          }),
          at(1, {
            type: 'deployModel',
            owner: worker,
            model,
            sizeBytes: 8_000_000_000,
            replicas: 2,
            region: 'eu',
          }),
          at(2, { type: 'replicaReady', worker, model }),
          at(3, { type: 'replicaReady', worker, model }),
        ],
      }),
    );
    const r = await runCli(['apply', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('5 actions');
    expect(r.stdout).toMatch(/#4 replicaReady: ReplicaAlreadyReady/);
    // One worker may host: 1 of the 2 replicas is placed (and ready), the other waits for a worker.
    expect(r.stdout).toMatch(/deployments +1: 1 ready \+ 0 fetching of 2 replicas/);
  });
});
