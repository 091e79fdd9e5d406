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
import { createOneWorkerClient, openAiBackend, type WorkedJob } from './oneWorkerClient.ts';

// A 4 s protocol day of four 1 s epochs: a receipt is paid within 2 s of completing.
const paramsOverrides = {
  dayMs: 4_000,
  settlementEpochMs: 1_000,
  jobDeadlineMaxMs: 700,
  jobDeadlineDefaultMs: 700,
  jobGraceMs: 200,
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
const start = (demandScale: number) => {
  gateway = createGateway({
    scenario,
    logPath,
    clock: Date.now,
    paramsOverrides,
    demandScale,
    tickMs: 20,
    seed: 3,
  });
  return gateway.listen(0).then((u) => {
    url = u;
  });
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newWorker = () =>
  createOneWorkerClient({
    gatewayUrl: url,
    runJob: openAiBackend(backendUrl),
    privateKey: generateKeyPairSync('ed25519').privateKey,
    models: ['tinylm-s'],
  });
const submit = (content: string, lane = 'included') =>
  fetch(`${url}/jobs`, {
    method: 'POST',
    body: JSON.stringify({
      lane,
      requester:
        lane === 'included' ? gateway.requesters.holders[0] : gateway.requesters.sponsors[0],
      model: 'tinylm-s',
      params: { messages: [{ role: 'user', content }], max_tokens: 4 },
    }),
  });
async function offerFor(worker: ReturnType<typeof newWorker>, content: string) {
  expect((await submit(content)).status).toBe(201);
  for (let i = 0; i < 50; i++) {
    const offer = await worker.poll();
    if (offer) return offer;
    await sleep(10);
  }
  throw new Error('no job offered');
}

beforeAll(async () => {
  backend = await createModelServer({ modelName: 'tinylm-s', warmupIterations: 0 });
  backendUrl = await backend.listen(0);
  // 3 holders × 1 job a 4 s day ≈ 0.75 jobs/s of generated demand, plus the sponsor's 0.7 × 20 CU/s ÷ 8 CU ≈ 1.75 jobs/s.
  await start(1);
});
afterAll(async () => {
  await gateway?.close();
  await backend?.close();
});

describe('gateway: the protocol as a live service for ONE workers', () => {
  const done: WorkedJob[] = [];
  const worker = { client: null as ReturnType<typeof newWorker> | null };

  it('hands out jobs from both lanes, accepts chained receipts and settles payment to the worker', async () => {
    const w = newWorker();
    worker.client = w;
    expect((await submit('dedicated job', 'dedicated')).status).toBe(201);
    for (let i = 0; i < 6; i++) expect((await submit(`job ${i}`)).status).toBe(201);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const r = await w.step();
      if (r) done.push(r);
      const me = gateway.status().workers[0];
      if (done.length >= 8 && me && BigInt(me.balanceMicroUsdc) > 0n) break;
      if (!r) await sleep(10);
    }
    expect(done.filter((d) => d.status !== 200).map((d) => d.answer)).toEqual([]);
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
    const me = s.workers[0]!;
    expect(me.receipts).toBe(done.length);
    expect(me.oneChainHead).toBe(done.at(-1)!.link);
    expect(BigInt(me.earnedMicroUsdc)).toBeGreaterThan(0n);
    expect(BigInt(me.balanceMicroUsdc)).toBeGreaterThan(0n);
    expect(s.schedule.epochsSettled).toBeGreaterThan(0);
    expect(s.demand.submitted).toBeGreaterThan(0);
    expect(s.jobs.completed).toBeGreaterThanOrEqual(done.length);
    const contents = done.map((d) => (d.params.messages as Array<{ content: string }>)[0]!.content);
    expect(contents).toContain('dedicated job');
    expect(contents).toContain('job 5');
  });

  it('refuses tampered, replayed, out-of-chain and foreign results with 4xx and changes nothing', async () => {
    const w = worker.client!;
    const offer = await offerFor(w, 'tamper target');
    const honest = await w.work(offer);
    const snapshot = () => ({
      completed: gateway.core.state.totals.jobsCompleted,
      head: gateway.status().workers[0]!.oneChainHead,
      job: gateway.core.state.jobs.get(offer.id)?.status,
    });
    const before = snapshot();
    const refuse = async (body: typeof honest, status: number, code: string) => {
      const r = await w.post(offer.id, body);
      expect([r.status, (r.answer as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
      expect(snapshot()).toEqual(before);
    };
    await refuse({ ...honest, output: { tampered: true } }, 422, 'OutputDigestMismatch');
    const wrongPrev = w.sign({ ...honest.receipt, prev: ONE_WORKER_GENESIS });
    await refuse({ ...honest, receipt: wrongPrev, link: '' }, 409, 'BadChainLink');
    await refuse(
      { ...honest, receipt: { ...honest.receipt, sig: wrongPrev.sig } },
      401,
      'BadSignature',
    );
    const other = newWorker();
    const foreign = other.sign({
      prev: honest.receipt.prev,
      requestHash: honest.receipt.requestHash,
      model: 'tinylm-s',
      outputDigest: honest.receipt.outputDigest,
    });
    await refuse({ ...honest, receipt: foreign }, 403, 'WrongWorker');
    expect((await w.post(offer.id, honest)).status).toBe(200);
    const replayed = await w.post(offer.id, honest);
    expect(replayed.status).toBe(409);
    expect(gateway.status().rejections.byCode).toMatchObject({
      OutputDigestMismatch: 1,
      BadChainLink: 1,
      BadSignature: 1,
      WrongWorker: 1,
      AlreadyCompleted: 1,
    });
  });

  it('rejects bad job requests naming the field', async () => {
    const r = await fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({ lane: 'fast', requester: '0x1', model: 'tinylm-s', params: {} }),
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { field: string } }).error.field).toBe('lane');
    expect((await fetch(`${url}/jobs/next?models=tinylm-s`)).status).toBe(401);
  });

  it('restarts from its fsync’d log with every accepted receipt', async () => {
    const before = gateway.status();
    const clone = structuredClone(gateway.core.state);
    await gateway.close();
    await start(0);
    expect(gateway.resumedEntries).toBeGreaterThan(0);
    const after = gateway.status();
    expect(after.workers.map((w) => [w.key, w.receipts, w.oneChainHead])).toEqual(
      before.workers.map((w) => [w.key, w.receipts, w.oneChainHead]),
    );
    // The live state and the replayed one differ only in the clock of unlogged idle timer actions.
    const replayed = structuredClone(gateway.core.state);
    replayed.nowMs = clone.nowMs = 0;
    // Timers may have moved the resumed gateway on (a new day or epoch); compare when they did not.
    const sameCalendar =
      replayed.day === clone.day && replayed.lastSettledEpoch === clone.lastSettledEpoch;
    // Every accepted receipt survives the restart. (Whole-state equality would also compare what
    // wall-clock timers did around the restart — expiries, dispatches — which depends on load.)
    expect(replayed.totals.jobsCompleted).toBeGreaterThanOrEqual(clone.totals.jobsCompleted);
    const served = (s: typeof clone) =>
      [...s.workers.values()].map((w) => [w.address, w.served, w.chainHead]);
    if (sameCalendar) {
      expect(replayed.totals.receiptsSettled).toBe(clone.totals.receiptsSettled);
      expect(served(replayed)).toEqual(served(clone));
    }
    const next = await worker.client!.step().catch(() => null);
    if (next) expect(next.receipt.prev).toBe(before.workers[0]!.oneChainHead);
  });
});
