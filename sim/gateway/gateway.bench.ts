import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../scenario/scenarioSchema.ts';
import { createGateway } from './createGateway.ts';
import { createOneWorkerClient } from './oneWorkerClient.ts';

const jobs = 2_000;
const workers = 8;
const submitters = 16;

/**
 * Jobs/s through the gateway over HTTP on 127.0.0.1: POST /jobs, then `workers` ONE workers
 * (ed25519 receipts, chained) poll and post results against an instant fake backend, so the
 * figure is the gateway's own cost: leasing, signature/chain/digest checks, the protocol step
 * and the fsync'd log.
 */
export default async function (): Promise<void> {
  const scenario = parseScenario({
    name: 'gateway-bench',
    question: 'how many jobs a second does the gateway verify?',
    treasuryGenesisUsdc: 1_000_000,
    models: [{ name: 'fake', cuPerRequest: 1, weight: 1 }],
    holders: { count: 8 },
    sponsors: { count: 0 },
    workers: { count: 0 },
  });
  const gateway = createGateway({
    scenario,
    logPath: join(mkdtempSync(join(tmpdir(), 'onesim-gw-bench-')), 'actions.jsonl'),
    clock: () => Date.now(),
    demandScale: 0,
    workerSlots: 4,
    registration: { mode: 'open' },
  });
  const url = await gateway.listen(0);
  const submitStart = performance.now();
  for (let i = 0; i < jobs; i++) {
    const requester = gateway.requesters.holders[i % gateway.requesters.holders.length];
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      body: JSON.stringify({
        lane: 'included',
        requester,
        model: 'fake',
        params: { messages: [{ role: 'user', content: `q${i}` }] },
        units: 1,
      }),
    });
    if (res.status !== 201) throw new Error(`submit ${i}: ${res.status} ${await res.text()}`);
  }
  const submitMs = performance.now() - submitStart;
  const output = { choices: [{ message: { role: 'assistant', content: 'ok' } }] };
  // An instant backend, so the figure is the gateway's cost; gateway calls go over HTTP.
  const viaFakeBackend: typeof fetch = (input, init) =>
    String(input).startsWith('http://backend.invalid/')
      ? Promise.resolve(Response.json(output))
      : fetch(input, init);
  const clients = Array.from({ length: workers }, () =>
    createOneWorkerClient({
      gatewayUrl: url,
      backendUrl: 'http://backend.invalid/v1',
      privateKey: generateKeyPairSync('ed25519').privateKey,
      models: ['fake'],
      fetch: viaFakeBackend,
    }),
  );
  let accepted = 0;
  let refused = 0;
  const workStart = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      let idle = 0;
      while (idle < 20) {
        const job = await c.pollOnce();
        if (!job) {
          idle++;
          continue;
        }
        idle = 0;
        await c.serve(job).then(
          () => accepted++,
          () => refused++,
        );
      }
    }),
  );
  const workMs = performance.now() - workStart;
  const s = gateway.status();
  await gateway.close();
  console.log(
    `gateway: ${jobs} jobs submitted over HTTP by ${submitters} clients in ${submitMs.toFixed(0)} ms (${((jobs / submitMs) * 1000).toFixed(0)} jobs/s)`,
  );
  console.log(
    `gateway: ${accepted} results accepted (${refused} refused) by ${workers} ONE workers in ${workMs.toFixed(0)} ms: ${((accepted / workMs) * 1000).toFixed(0)} jobs/s verified (ed25519 + chain + digests + step + fsync'd log); completed ${s.jobs.completed}`,
  );
  console.log('reproduce: npm run bench -- sim/gateway/gateway.bench.ts');
}
