import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/runCli.ts';

/** A loopback port nothing listens on: a run that reached the node would fail with RpcError. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('onesim live: parameters the contracts cannot run', () => {
  it("an action file under Ratio1's rules exits 2 naming params.rewardRules, before any node", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'onesim-live-params-')), 'ratio1.json');
    writeFileSync(
      file,
      JSON.stringify({
        params: { rewardRules: 'ratio1' },
        actions: [{ atMs: 1000, action: { type: 'startDay', day: 1 } }],
      }),
    );
    const rpc = `http://127.0.0.1:${await deadPort()}`;
    const r = await runCli(['live', file, '--rpc', rpc, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^onesim: params\.rewardRules = "ratio1" is not implemented on chain/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'UnencodableParamError', field: 'params.rewardRules' },
    });
  });
  it('an action file with params.sealedAudit exits 2 naming it (the contracts know no sealed jobs), before any node', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'onesim-live-params-')), 'sealed.json');
    writeFileSync(
      file,
      JSON.stringify({
        params: { sealedAudit: 'tee' },
        actions: [{ atMs: 1000, action: { type: 'startDay', day: 1 } }],
      }),
    );
    const rpc = `http://127.0.0.1:${await deadPort()}`;
    const r = await runCli(['live', file, '--rpc', rpc, '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^onesim: params\.sealedAudit = "tee" is not implemented on chain/);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out).toMatchObject({
      ok: false,
      error: { kind: 'UnencodableParamError', field: 'params.sealedAudit' },
    });
  });
});
