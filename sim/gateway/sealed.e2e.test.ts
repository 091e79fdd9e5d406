import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, type ModelServer } from '../../gpu-harness/serve/createModelServer.ts';
import { verifyOneWorkerReceipt } from '../../protocol/index.ts';
import { generateSealingKeyPair, open, type SealedBox, seal } from '../io/sealing.ts';
import { parseScenario } from '../scenario/scenarioSchema.ts';
import { createGateway, type Gateway } from './createGateway.ts';
import { createOneWorkerClient, type ServedJob } from './oneWorkerClient.ts';

// No generated demand: the only jobs are the two this test posts.
const scenario = parseScenario({
  name: 'gateway-sealed',
  question: 'does a sealed job stay sealed through the gateway?',
  treasuryGenesisUsdc: 10_000,
  models: [{ name: 'tinylm-s', cuPerRequest: 8, weight: 1 }],
  holders: { count: 2, activeShare: 1, jobsPerDayMedian: 1 },
  sponsors: { count: 0 },
  workers: { count: 0 },
});
const paramsOverrides = {
  dayMs: 8_000,
  settlementEpochMs: 2_000,
  jobDeadlineMaxMs: 1_500,
  jobDeadlineDefaultMs: 1_500,
  jobGraceMs: 400,
};

let backend: ModelServer;
/** A backend that opens sealed jobs itself (the harness runtime holds the key). */
let sealedBackend: ModelServer;
const backendKeys = generateSealingKeyPair();
let harnessWorker: ReturnType<typeof createOneWorkerClient>;
let gateway: Gateway;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'onesim-gateway-sealed-'));
const logPath = join(dir, 'actions.jsonl');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A text as it could sit in a file: as is, hex, and base64 at each of the three alignments. */
function storedForms(text: string): string[] {
  const forms = [text, Buffer.from(text).toString('hex')];
  for (let k = 0; k < 3; k++)
    forms.push(
      Buffer.concat([Buffer.alloc(k), Buffer.from(text)])
        .toString('base64')
        .slice(4, -4),
    );
  return forms;
}

beforeAll(async () => {
  backend = await createModelServer({ modelName: 'tinylm-s', warmupIterations: 0 });
  const backendUrl = await backend.listen(0);
  gateway = createGateway({
    scenario,
    logPath,
    clock: Date.now,
    paramsOverrides,
    demandScale: 0,
    tickMs: 20,
    seed: 5,
    leaseMs: 1_200,
    registration: { mode: 'open' },
  });
  url = await gateway.listen(0);
  sealedBackend = await createModelServer({
    modelName: 'tinylm-s',
    warmupIterations: 0,
    sealingKey: backendKeys,
  });
  harnessWorker = createOneWorkerClient({
    gatewayUrl: url,
    backendUrl: await sealedBackend.listen(0),
    privateKey: generateKeyPairSync('ed25519').privateKey,
    models: ['tinylm-s'],
    sealedBackend: true,
  });
  worker = createOneWorkerClient({
    gatewayUrl: url,
    backendUrl,
    privateKey: generateKeyPairSync('ed25519').privateKey,
    models: ['tinylm-s'],
    sealingKey: workerKeys,
  });
});
let closed = false;
afterAll(async () => {
  if (!closed) await gateway?.close();
  await backend?.close();
  await sealedBackend?.close();
});
let worker: ReturnType<typeof createOneWorkerClient>;
const workerKeys = generateSealingKeyPair();

async function serveOne(w = worker): Promise<ServedJob> {
  for (let i = 0; i < 200; i++) {
    const offer = await w.pollOnce();
    if (offer) return w.serve(offer);
    await sleep(10);
  }
  throw new Error('no job offered');
}

const chat = (content: string) => ({ messages: [{ role: 'user', content }], max_tokens: 4 });

describe('gateway: sealed jobs', () => {
  const requester = generateSealingKeyPair();
  const sealedMarker = `sealed-marker-${randomBytes(12).toString('hex')}`;
  const clearMarker = `clear-marker-${randomBytes(12).toString('hex')}`;
  const harnessMarker = `harness-marker-${randomBytes(12).toString('hex')}`;
  const served: ServedJob[] = [];

  it('a sealed job is opened only by its worker, and its result only by its requester', async () => {
    const box = seal({
      plaintext: JSON.stringify(chat(sealedMarker)),
      recipientPublicKey: Buffer.from(generateSealingKeyPair().publicKey, 'base64'),
    });
    const post = (sealed: unknown) =>
      fetch(`${url}/jobs`, {
        method: 'POST',
        body: JSON.stringify({
          lane: 'included',
          requester: gateway.requesters.holders[0],
          model: 'tinylm-s',
          sealed,
        }),
      });
    // Refused at the edge: a box without a reply key, naming the field.
    const badReply = await post({ worker: worker.key, box, replyTo: 'short' });
    expect(badReply.status).toBe(400);
    expect(await badReply.json()).toMatchObject({ error: { field: 'sealed.replyTo' } });

    const res = await post({
      worker: worker.key,
      box: seal({
        plaintext: JSON.stringify(chat(sealedMarker)),
        recipientPublicKey: workerKeys.publicKey,
      }),
      replyTo: requester.publicKey,
    });
    expect(res.status).toBe(202);
    const { ref } = (await res.json()) as { ref: string };
    const job = await serveOne();
    served.push(job);
    expect(JSON.stringify(job.params)).not.toContain(sealedMarker);
    expect(verifyOneWorkerReceipt(job.receipt)).toBe(true);
    const status = (await (await fetch(`${url}/jobs/sealed/${ref}`)).json()) as {
      status: string;
      output: SealedBox;
    };
    expect(status.status).toBe('completed');
    const answer = JSON.parse(open(status.output, requester.privateKey).toString('utf8'));
    expect(answer.object).toBe('chat.completion');
    expect(() => open(status.output, generateSealingKeyPair().privateKey)).toThrow();
  });

  it('a held sealed job is offered to no other poll, only to its worker naming itself', async () => {
    const other = createOneWorkerClient({
      gatewayUrl: url,
      backendUrl: 'http://127.0.0.1:9',
      privateKey: generateKeyPairSync('ed25519').privateKey,
      models: ['tinylm-s'],
    });
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({
        lane: 'included',
        requester: gateway.requesters.holders[1],
        model: 'tinylm-s',
        sealed: {
          worker: worker.key,
          box: seal({
            plaintext: JSON.stringify(chat('held')),
            recipientPublicKey: workerKeys.publicKey,
          }),
          replyTo: requester.publicKey,
          audit: true,
        },
      }),
    });
    const { ref } = (await res.json()) as { ref: string };
    const status = async () =>
      ((await (await fetch(`${url}/jobs/sealed/${ref}`)).json()) as { status: string }).status;
    expect(await other.pollOnce()).toBeNull(); // an anonymous poll: nothing
    expect(await status()).toBe('held');
    const job = await serveOne();
    expect(job.params.sealed).toBeDefined();
    expect(await status()).toBe('completed');
    expect(readFileSync(logPath, 'utf8')).toContain('"sealed":"auditable"');
  });

  it('a sealed job opened in the harness runtime (serve-model with a sealing key), not in the worker', async () => {
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({
        lane: 'included',
        requester: gateway.requesters.holders[0],
        model: 'tinylm-s',
        sealed: {
          worker: harnessWorker.key,
          box: seal({
            plaintext: JSON.stringify(chat(harnessMarker)),
            recipientPublicKey: backendKeys.publicKey,
          }),
          replyTo: requester.publicKey,
        },
      }),
    });
    const { ref } = (await res.json()) as { ref: string };
    const job = await serveOne(harnessWorker);
    served.push(job);
    expect(sealedBackend.stats().completions).toBe(1);
    const answer = open(job.output as SealedBox, requester.privateKey).toString('utf8');
    expect(JSON.parse(answer).object).toBe('chat.completion');
    const status = (await (await fetch(`${url}/jobs/sealed/${ref}`)).json()) as { status: string };
    expect(status.status).toBe('completed');
  });

  it('the same kind of job unsealed (the control): its marker is in the log', async () => {
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({
        lane: 'included',
        requester: gateway.requesters.holders[0],
        model: 'tinylm-s',
        params: chat(clearMarker),
      }),
    });
    expect(res.status).toBe(201);
    served.push(await serveOne());
  });

  it('the sealed marker appears nowhere the gateway writes or answers (log, status, receipts); the clear one does', async () => {
    await sleep(4_500); // both receipts settle (two 2 s epochs)
    const status = await (await fetch(`${url}/status`)).text();
    await gateway.close();
    closed = true;
    const stored = [
      readFileSync(logPath, 'utf8'),
      status,
      JSON.stringify(served.map((s) => ({ receipt: s.receipt, link: s.link, output: s.output }))),
    ].join('\n');
    for (const marker of [sealedMarker, harnessMarker])
      for (const form of storedForms(marker)) expect(stored).not.toContain(form);
    expect(storedForms(clearMarker).some((f) => stored.includes(f))).toBe(true);
    const log = readFileSync(logPath, 'utf8');
    expect(log).toContain('"sealed":"private"');
    expect(log).toContain('"type":"settle"');
  });
});
