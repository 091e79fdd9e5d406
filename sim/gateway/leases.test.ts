import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createOneWorkerSigner } from '../../protocol/index.ts';
import { simAttestationFor } from '../../protocol/receipts/simAttestor.ts';
import { parseScenario } from '../scenario/scenarioSchema.ts';
import { createGateway, type Gateway, type GatewayOptions } from './createGateway.ts';
import type { JobOffer } from './handOutJob.ts';
import { createOneWorkerClient } from './oneWorkerClient.ts';
import type { Registration } from './registration.ts';
import { workerAddressOf, workerKeyHeader } from './workerIdentity.ts';

// The gateway's leases on a frozen clock: who may answer a handed-out job, when, and how often;
// and that a restart from the log rebuilds the hand-out state exactly.
const scenario = parseScenario({
  name: 'gateway-leases',
  question: 'who may answer a leased job?',
  treasuryGenesisUsdc: 10_000,
  models: [
    { name: 'tinylm-s', cuPerRequest: 8, weight: 1 },
    { name: 'other', cuPerRequest: 8, weight: 1 },
  ],
  holders: { count: 3, activeShare: 1, jobsPerDayMedian: 1 },
  sponsors: { count: 1, rateCuPerSecMin: 20, reservationHours: 1 },
  workers: { count: 0 },
});
const leaseMs = 5_000;
const genesis = 1_700_000_000_000;
let t = genesis;
const open: Gateway[] = [];

async function start(o: Partial<GatewayOptions> = {}, logPath?: string) {
  const path = logPath ?? join(mkdtempSync(join(tmpdir(), 'onesim-leases-')), 'actions.jsonl');
  const gateway = createGateway({
    scenario,
    logPath: path,
    clock: () => t,
    demandScale: 0,
    tickMs: 3_600_000,
    leaseMs,
    registration: { mode: 'open' },
    ...o,
  });
  open.push(gateway);
  const url = await gateway.listen(0);
  return { gateway, url, logPath: path };
}
afterEach(async () => {
  for (const g of open.splice(0)) await g.close();
  t = genesis;
});

/** An instant OpenAI-style backend: the output names the prompt, so each job has its own digest. */
const backendFetch: typeof fetch = async (input, init) => {
  if (!String(input).startsWith('http://backend.invalid/')) return fetch(input, init);
  const body = JSON.parse(String(init?.body)) as { messages: Array<{ content: string }> };
  return Response.json({
    choices: [
      { index: 0, message: { role: 'assistant', content: `re: ${body.messages[0]!.content}` } },
    ],
  });
};
const keyPair = () => generateKeyPairSync('ed25519').privateKey;
const workerFor = (url: string, privateKey: KeyObject) =>
  createOneWorkerClient({
    gatewayUrl: url,
    backendUrl: 'http://backend.invalid/v1',
    privateKey,
    models: ['tinylm-s'],
    fetch: backendFetch,
  });
const keyOf = (k: KeyObject) => createOneWorkerSigner(k).worker;

async function submit(g: Gateway, url: string, content: string) {
  const r = await fetch(`${url}/jobs`, {
    method: 'POST',
    body: JSON.stringify({
      lane: 'included',
      requester: g.requesters.holders[0],
      model: 'tinylm-s',
      params: { messages: [{ role: 'user', content }], max_tokens: 4 },
    }),
  });
  expect(r.status).toBe(201);
}
const poll = (url: string, hint?: string) =>
  fetch(`${url}/jobs/next?models=tinylm-s`, hint ? { headers: { [workerKeyHeader]: hint } } : {});

/** What a refusal may not change: the log's bytes and the state (the refusal counters aside). */
async function unchanged(g: Gateway, logPath: string, f: () => Promise<void>) {
  await g.core.log!.commit();
  const before = { log: readFileSync(logPath, 'utf8'), status: comparable(g) };
  await f();
  await g.core.log!.commit();
  expect({ log: readFileSync(logPath, 'utf8'), status: comparable(g) }).toEqual(before);
}
function comparable(g: Gateway) {
  const {
    rejections: _r,
    schedule: _s,
    demand: _d,
    resumedEntries: _e,
    logPath: _l,
    ...rest
  } = g.status();
  return { ...rest, workers: rest.workers.map(({ rejections: _w, ...w }) => w) };
}
const errorOf = async (r: { status: number; answer: unknown }) => [
  r.status,
  (r.answer as { error: { code: string; field: string } }).error,
];

describe('gateway leases', () => {
  it('an anonymous poll gets a bearer lease `<job>.1` and no prevReceipt; an empty queue answers 204', async () => {
    const { gateway, url } = await start();
    await submit(gateway, url, 'a');
    const r = await poll(url);
    expect(r.status).toBe(200);
    const offer = (await r.json()) as JobOffer;
    expect(offer).toEqual({ id: '1.1', params: expect.objectContaining({ model: 'tinylm-s' }) });
    expect((await poll(url)).status).toBe(204);
    expect(gateway.status().leases.open).toEqual([
      { id: '1.1', untilMs: t - genesis + leaseMs, bound: false },
    ]);
  });

  it('refuses a duplicate result (409 naming id) and changes nothing', async () => {
    const { gateway, url, logPath } = await start();
    const w = workerFor(url, keyPair());
    await submit(gateway, url, 'a');
    const offer = (await w.pollOnce())!;
    const result = await w.work(offer);
    expect((await w.post(offer.id, result)).status).toBe(200);
    await unchanged(gateway, logPath, async () => {
      expect(await errorOf(await w.post(offer.id, result))).toEqual([
        409,
        expect.objectContaining({ code: 'AlreadyCompleted', field: 'id' }),
      ]);
    });
  });

  it('refuses a result after its lease (410 naming id), returns the job to the queue, and takes the next lease’s result', async () => {
    const { gateway, url, logPath } = await start();
    const w = workerFor(url, keyPair());
    await submit(gateway, url, 'a');
    const offer = (await w.pollOnce())!;
    const late = await w.work(offer);
    t += leaseMs + 1;
    await unchanged(gateway, logPath, async () => {
      expect(await errorOf(await w.post(offer.id, late))).toEqual([
        410,
        expect.objectContaining({ code: 'LeaseExpired', field: 'id' }),
      ]);
    });
    gateway.tick(); // the calendar returns the lapsed lease
    expect(gateway.status().leases.lapsed).toBe(1);
    const again = (await w.pollOnce())!;
    expect(again.id).toBe('1.2');
    expect((await w.post(offer.id, late)).status).toBe(410);
    expect((await w.serve(again)).id).toBe('1.2');
  });

  it('a lease bound by the x-one-worker hint refuses another worker’s result (403 naming receipt.worker) and offers the chain head', async () => {
    const { gateway, url, logPath } = await start();
    const a = workerFor(url, keyPair());
    const b = workerFor(url, keyPair());
    await submit(gateway, url, 'first');
    await a.serve((await a.pollOnce())!);
    await submit(gateway, url, 'second');
    const offer = (await (await poll(url, a.key)).json()) as JobOffer;
    expect(offer.prevReceipt).toBe(a.lastLink);
    const foreign = await b.work(offer);
    await unchanged(gateway, logPath, async () => {
      expect(await errorOf(await b.post(offer.id, foreign))).toEqual([
        403,
        expect.objectContaining({ code: 'WrongWorker', field: 'receipt.worker' }),
      ]);
    });
    expect((await a.serve(offer)).receipt.prev).toBe(offer.prevReceipt);
  });

  it('under --workers, an unknown key’s poll and result get 403 naming the field; a listed key works its models only', async () => {
    const listed = keyPair();
    const stranger = keyPair();
    const attestation = (g: Gateway) =>
      simAttestationFor(g.core.params, workerAddressOf(keyOf(listed), 'key'), 10 ** 12);
    const probe = await start();
    const registration: Registration = {
      mode: 'list',
      workers: [
        { key: keyOf(listed), models: ['tinylm-s'], attestation: attestation(probe.gateway) },
      ],
    };
    const { gateway, url, logPath } = await start({ registration });
    expect(gateway.status().workers.map((w) => [w.key, w.models])).toEqual([
      [keyOf(listed), ['tinylm-s']],
    ]);
    await submit(gateway, url, 'a');
    await unchanged(gateway, logPath, async () => {
      const r = await poll(url, keyOf(stranger));
      expect([r.status, ((await r.json()) as { error: unknown }).error]).toEqual([
        403,
        expect.objectContaining({ code: 'UnknownWorker', field: workerKeyHeader }),
      ]);
    });
    const s = workerFor(url, stranger);
    const offer = (await s.pollOnce())!;
    const result = await s.work(offer);
    await unchanged(gateway, logPath, async () => {
      expect(await errorOf(await s.post(offer.id, result))).toEqual([
        403,
        expect.objectContaining({ code: 'UnknownWorker', field: 'receipt.worker' }),
      ]);
    });
    const w = workerFor(url, listed);
    expect((await w.post(offer.id, await w.work(offer))).status).toBe(200);
  });

  it('with registration closed every result is refused (403) and nothing changes', async () => {
    const { gateway, url, logPath } = await start({ registration: { mode: 'closed' } });
    const w = workerFor(url, keyPair());
    await submit(gateway, url, 'a');
    const offer = (await w.pollOnce())!;
    const result = await w.work(offer);
    await unchanged(gateway, logPath, async () => {
      expect(await errorOf(await w.post(offer.id, result))).toEqual([
        403,
        expect.objectContaining({ code: 'UnknownWorker', field: 'receipt.worker' }),
      ]);
    });
    expect(gateway.status().workers).toEqual([]);
  });
});

type Op =
  | { kind: 'submit' }
  | { kind: 'poll'; worker: number; hinted: boolean }
  | { kind: 'answer'; worker: number; which: number }
  | { kind: 'wait'; ms: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant<Op>({ kind: 'submit' }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('poll' as const),
      worker: fc.nat(2),
      hinted: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      worker: fc.nat(2),
      which: fc.nat(9),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 1, max: 7_000 }),
    }),
    weight: 1,
  },
);

describe('gateway restart', () => {
  it('rebuilds status and hand-out state from the log: the same status and the same next polls, killed at any point', async () => {
    const keys = [keyPair(), keyPair(), keyPair()];
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        t = genesis;
        const { gateway, url, logPath } = await start({}, undefined);
        const workers = keys.map((k) => workerFor(url, k));
        const offers: Array<{ worker: number; offer: JobOffer }> = [];
        let n = 0;
        for (const op of ops) {
          if (op.kind === 'submit') await submit(gateway, url, `job ${n++}`);
          else if (op.kind === 'poll') {
            const r = await poll(url, op.hinted ? workers[op.worker]!.key : undefined);
            if (r.status === 200)
              offers.push({ worker: op.worker, offer: (await r.json()) as JobOffer });
          } else if (op.kind === 'answer' && offers.length > 0) {
            const { offer } = offers[op.which % offers.length]!;
            const w = workers[op.worker]!;
            await w.serve(offer).catch(() => {});
          } else if (op.kind === 'wait') {
            t += op.ms;
            gateway.tick();
          }
        }
        // The kill: what is on disk now is what a SIGKILL leaves (answers wait for the fsync).
        await gateway.core.log!.commit();
        const copy = `${logPath}.killed`;
        copyFileSync(logPath, copy);
        const restarted = await start({}, copy);
        expect(comparable(restarted.gateway)).toEqual(comparable(gateway));
        const next = async (u: string) => {
          const seen: unknown[] = [];
          for (const hint of [undefined, workers[0]!.key, undefined])
            seen.push(await poll(u, hint).then((r) => (r.status === 200 ? r.json() : r.status)));
          return seen;
        };
        expect(await next(restarted.url)).toEqual(await next(url));
        for (const g of open.splice(0)) await g.close();
      }),
      { numRuns: 12, seed: 42 },
    );
  });

  it('refuses a log with a corrupted line (not the torn last one), naming the file and line, and leaves it untouched', async () => {
    const { gateway, url, logPath } = await start();
    await submit(gateway, url, 'a');
    await submit(gateway, url, 'b');
    await gateway.close();
    open.splice(0);
    const lines = readFileSync(logPath, 'utf8').split('\n');
    lines[3] = lines[3]!.slice(0, 20); // a line cut in the middle of the file
    const damaged = `${lines.join('\n')}{"kind":"act`; // and a torn last line
    writeFileSync(logPath, damaged);
    expect(() => createGateway({ scenario, logPath, clock: () => t, demandScale: 0 })).toThrowError(
      `${logPath}:4: not a JSON line`,
    );
    expect(readFileSync(logPath, 'utf8')).toBe(damaged);
  });
});
