import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, type ModelServer } from '../../gpu-harness/serve/createModelServer.ts';
import {
  findChainBreak,
  ONE_WORKER_GENESIS,
  verifyOneWorkerReceipt,
} from '../../protocol/index.ts';
import { parseScenario } from '../scenario/scenarioSchema.ts';
import { createGateway, type Gateway } from './createGateway.ts';
import type { JobOffer } from './handOutJob.ts';
import { createOneWorkerClient, type ServedJob } from './oneWorkerClient.ts';

// An 8 s protocol day of four 2 s epochs: a receipt is paid within 4 s of completing. Deadlines
// leave a loaded 2-core machine room for an inference.
const paramsOverrides = {
  dayMs: 8_000,
  settlementEpochMs: 2_000,
  jobDeadlineMaxMs: 1_500,
  jobDeadlineDefaultMs: 1_500,
  jobGraceMs: 400,
};
const scenario = parseScenario({
  name: 'gateway-e2e',
  question: 'does a ONE worker get paid through the gateway?',
  treasuryGenesisUsdc: 10_000,
  models: [{ name: 'tinylm-s', cuPerRequest: 8, weight: 1 }],
  holders: { count: 3, activeShare: 1, jobsPerDayMedian: 1 },
  sponsors: { count: 1, rateCuPerSecMin: 20, reservationHours: 1 },
  workers: { count: 0 },
});

let backend: ModelServer;
let backendUrl: string;
let gateway: Gateway;
let url: string;
const logPath = join(mkdtempSync(join(tmpdir(), 'onesim-gateway-')), 'actions.jsonl');
const start = (demandScale: number, port = 0) => {
  gateway = createGateway({
    scenario,
    logPath,
    clock: Date.now,
    paramsOverrides,
    demandScale,
    tickMs: 20,
    seed: 3,
    leaseMs: 1_200,
    registration: { mode: 'open' },
  });
  return gateway.listen(port).then((u) => {
    url = u;
  });
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newWorker = () =>
  createOneWorkerClient({
    gatewayUrl: url,
    backendUrl,
    privateKey: generateKeyPairSync('ed25519').privateKey,
    models: ['tinylm-s'],
  });
type Worker = ReturnType<typeof newWorker>;
// A keep-alive socket to a gateway that restarted fails once, as for any HTTP client: retry once.
const once = (f: () => Promise<Response>) =>
  f().catch((e: Error) => (/fetch failed/.test(e.message) ? f() : Promise.reject(e)));
const submit = (content: string, lane = 'included') =>
  once(() =>
    fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({
        lane,
        requester:
          lane === 'included' ? gateway.requesters.holders[0] : gateway.requesters.sponsors[0],
        model: 'tinylm-s',
        params: { messages: [{ role: 'user', content }], max_tokens: 4 },
      }),
    }),
  );
async function offerFor(worker: Worker, content: string): Promise<JobOffer> {
  expect((await submit(content)).status).toBe(201);
  for (let i = 0; i < 50; i++) {
    const offer = await worker.pollOnce().catch((e: Error) => {
      if (!/fetch failed/.test(e.message)) throw e;
      return null;
    });
    if (offer) return offer;
    await sleep(10);
  }
  throw new Error('no job offered');
}

beforeAll(async () => {
  backend = await createModelServer({ modelName: 'tinylm-s', warmupIterations: 0 });
  backendUrl = await backend.listen(0);
  // 3 holders × 1 job an 8 s day ≈ 0.4 jobs/s of generated demand, plus the sponsor's 0.7 × 20 CU/s ÷ 8 CU ≈ 1.75 jobs/s.
  await start(1);
});
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
});

describe('gateway: the protocol as a live service for anonymous ONE workers', () => {
  const done: ServedJob[] = [];
  const worker = { client: null as Worker | null };

  it('leases jobs of both lanes to an anonymous poller, accepts chained receipts, pays the receipt’s worker', async () => {
    const w = newWorker();
    worker.client = w;
    expect((await submit('dedicated job', 'dedicated')).status).toBe(201);
    for (let i = 0; i < 6; i++) expect((await submit(`job ${i}`)).status).toBe(201);
    const errors: string[] = [];
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const job = await w.pollOnce();
      if (job)
        await w.serve(job).then(
          (d) => done.push(d),
          (e: Error) => errors.push(e.message),
        );
      else await sleep(10);
      const me = gateway.status().workers[0];
      if (done.length >= 8 && me && BigInt(me.balanceMicroUsdc) > 0n) break;
    }
    expect(errors, errors.join('\n')).toEqual([]);
    expect(done.length).toBeGreaterThanOrEqual(8);
    expect(done.every((d) => verifyOneWorkerReceipt(d.receipt))).toBe(true);
    expect(done[0]!.receipt.prev).toBe(ONE_WORKER_GENESIS);
    const chain = {
      prevs: done.map((d) => d.receipt.prev),
      links: done.map((d) => d.link),
      genesis: ONE_WORKER_GENESIS,
      seqs: done.map((_, i) => i),
    };
    expect(findChainBreak(chain)).toBeNull();
    const s = gateway.status();
    expect(s.registration).toBe('open');
    const me = s.workers[0]!;
    expect(me.key).toBe(w.key);
    expect(me.models).toEqual(['tinylm-s']);
    expect(me.receipts).toBe(done.length);
    expect(me.oneChainHead).toBe(done.at(-1)!.link);
    expect(me.chainRestarts).toBe(0);
    expect(BigInt(me.earnedMicroUsdc)).toBeGreaterThan(0n);
    expect(BigInt(me.balanceMicroUsdc)).toBeGreaterThan(0n);
    expect(s.schedule.epochsSettled).toBeGreaterThan(0);
    expect(s.demand.submitted).toBeGreaterThan(0);
    expect(s.jobs.completed).toBeGreaterThanOrEqual(done.length);
    expect(s.leases.issued).toBeGreaterThanOrEqual(done.length);
    const contents = done.map((d) => (d.params.messages as Array<{ content: string }>)[0]!.content);
    expect(contents).toContain('dedicated job');
    expect(contents).toContain('job 5');
    // Every offer id names its lease: `<jobId>.<n>`.
    expect(done.every((d) => /^\d+\.\d+$/.test(d.id))).toBe(true);
  });

  it('refuses tampered, replayed, out-of-chain and foreign-signed results with 4xx and changes nothing', async () => {
    const w = worker.client!;
    const offer = await offerFor(w, 'tamper target');
    const honest = await w.work(offer);
    const jobId = Number(offer.id.split('.')[0]);
    const snapshot = () => ({
      completed: gateway.core.state.totals.jobsCompleted,
      head: gateway.status().workers[0]!.oneChainHead,
      job: gateway.core.state.jobs.get(jobId)?.status,
    });
    const before = snapshot();
    const refuse = async (body: typeof honest, status: number, code: string, field: string) => {
      const r = await w.post(offer.id, body);
      expect([r.status, (r.answer as { error: { code: string; field: string } }).error]).toEqual([
        status,
        expect.objectContaining({ code, field }),
      ]);
      expect(snapshot()).toEqual(before);
    };
    await refuse(
      { ...honest, output: { tampered: true } },
      422,
      'OutputDigestMismatch',
      'receipt.outputDigest',
    );
    const wrongPrev = w.sign({ ...honest.receipt, prev: 'ab'.repeat(32) });
    await refuse({ ...honest, receipt: wrongPrev, link: '' }, 409, 'BadChainLink', 'receipt.prev');
    await refuse(
      { ...honest, receipt: { ...honest.receipt, sig: wrongPrev.sig } },
      401,
      'BadSignature',
      'receipt.sig',
    );
    // The honest result, through the client's own path (its chain moves on).
    expect((await w.serve(offer)).link).toBe(honest.link);
    const replayed = await w.post(offer.id, honest);
    expect(replayed.status).toBe(409);
    expect(gateway.status().rejections.byCode).toMatchObject({
      OutputDigestMismatch: 1,
      BadChainLink: 1,
      BadSignature: 1,
      AlreadyCompleted: 1,
    });
  });

  it('rejects bad job requests and polls naming the field', async () => {
    const r = await fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({ lane: 'fast', requester: '0x1', model: 'tinylm-s', params: {} }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { field: string } }).error.field).toBe('lane');
    const poll = await fetch(`${url}/jobs/next?models=llama3.1%3A8b`);
    expect(poll.status).toBe(400);
    expect(await poll.json()).toMatchObject({ error: { code: 'UnknownModel', field: 'models' } });
  });

  it('restarts from its fsync’d log; the worker’s chain goes on unbroken', async () => {
    const before = gateway.status();
    await gateway.close();
    await start(0, Number(new URL(url).port));
    expect(gateway.resumedEntries).toBeGreaterThan(0);
    const after = gateway.status();
    expect(after.workers.map((w) => [w.key, w.receipts, w.oneChainHead])).toEqual(
      before.workers.map((w) => [w.key, w.receipts, w.oneChainHead]),
    );
    const w = worker.client!;
    const offer = await offerFor(w, 'after restart');
    const served = await w.serve(offer);
    expect(served.receipt.prev).toBe(before.workers[0]!.oneChainHead);
    expect(gateway.status().workers[0]!.chainRestarts).toBe(0);
  });

  it('a worker restarted with an empty chain starts it again from "" (counted)', async () => {
    const again = createOneWorkerClient({
      gatewayUrl: url,
      backendUrl,
      privateKey: generateKeyPairSync('ed25519').privateKey,
      models: ['tinylm-s'],
    });
    // Another worker serves in between; then the first signs from "", as the public client does
    // after a restart (it keeps its chain head in memory only).
    const w = worker.client!;
    await again.serve(await offerFor(again, 'second worker'));
    const offer = await offerFor(w, 'restart from genesis');
    const result = await w.work({ ...offer, prevReceipt: ONE_WORKER_GENESIS });
    expect(result.receipt.prev).toBe(ONE_WORKER_GENESIS);
    expect((await w.post(offer.id, result)).status).toBe(200);
    const me = gateway.status().workers.find((x) => x.key === w.key)!;
    expect(me.chainRestarts).toBe(1);
    expect(me.oneChainHead).toBe(result.link);
  });
});
