import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oneWorkerLinkHash, verifyOneWorkerReceipt } from '../../protocol/index.ts';
import { createOneWorkerClient } from './oneWorkerClient.ts';

/**
 * The ONE worker protocol as the public client puts it on the wire: `@onecompute/worker`
 * v0.1.0 (github.com/onecomputexyz/one-worker, commit afa563c), src/worker.ts `pollOnce` and
 * `serve`, src/backend.ts `chatCompletion`. onesim's own client (oneWorkerClient.ts) must do the
 * same, and the gateway is tested through it; these pins say what "the same" means. With a
 * checkout of the real client in ONE_WORKER_CLIENT, the second test records the real one too
 * and compares request by request.
 */
type Recorded = { method: string; url: string; headers: Record<string, string>; body: unknown };

const gateway = 'http://gateway.invalid';
const backend = 'http://backend.invalid/v1';
const job = {
  id: '7.1',
  params: { model: 'tinylm-s', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 },
  prevReceipt: 'ab'.repeat(32),
};
const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' }],
};

/** A fetch that records every request and answers as a gateway with one job and a backend would. */
function recorder() {
  const seen: Recorded[] = [];
  const f: typeof fetch = async (input, init) => {
    const url = String(input);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = init?.body === undefined ? undefined : JSON.parse(String(init.body));
    seen.push({ method: init?.method ?? 'GET', url, headers, body });
    if (url.startsWith(`${gateway}/jobs/next`)) return Response.json(job);
    if (url.startsWith(backend)) return Response.json(completion);
    return Response.json({ accepted: true });
  };
  return { seen, fetch: f };
}

const key = (): KeyObject => generateKeyPairSync('ed25519').privateKey;

describe('the ONE worker wire protocol (public client v0.1.0)', () => {
  it('onesim’s client polls bare, runs the params with stream:false, and posts {output, receipt, link}', async () => {
    const r = recorder();
    const c = createOneWorkerClient({
      gatewayUrl: `${gateway}/`,
      backendUrl: backend,
      privateKey: key(),
      models: ['tinylm-s', 'other', 'tinylm-s'],
      fetch: r.fetch,
    });
    const offer = await c.pollOnce();
    await c.serve(offer!);
    const [poll, infer, result] = r.seen;
    // Poll: a GET with no header at all (no identity), models joined by "," then URI-encoded.
    expect(poll).toEqual({
      method: 'GET',
      url: `${gateway}/jobs/next?models=tinylm-s%2Cother`,
      headers: {},
      body: undefined,
    });
    // Backend: the job's params as they came, forced non-streaming.
    expect(infer).toEqual({
      method: 'POST',
      url: `${backend}/chat/completions`,
      headers: { 'content-type': 'application/json' },
      body: { ...job.params, stream: false },
    });
    // Result: the lease id URI-encoded into the path; the body's keys and the receipt's, in order.
    expect(result!.method).toBe('POST');
    expect(result!.url).toBe(`${gateway}/jobs/${encodeURIComponent(job.id)}/result`);
    expect(result!.headers).toEqual({ 'content-type': 'application/json' });
    const body = result!.body as { output: unknown; receipt: Record<string, string>; link: string };
    expect(Object.keys(body)).toEqual(['output', 'receipt', 'link']);
    expect(body.output).toEqual(completion);
    expect(Object.keys(body.receipt)).toEqual([
      'prev',
      'requestHash',
      'model',
      'worker',
      'outputDigest',
      'sig',
    ]);
    for (const v of Object.values(body.receipt)) expect(typeof v).toBe('string');
    // prev is the offer's prevReceipt, a link-hash string; the receipt verifies and links.
    expect(body.receipt.prev).toBe(job.prevReceipt);
    expect(body.receipt.model).toBe('tinylm-s');
    expect(verifyOneWorkerReceipt(body.receipt as never)).toBe(true);
    expect(body.link).toBe(oneWorkerLinkHash(body.receipt as never));
    expect(c.lastLink).toBe(body.link);
  });

  const real = process.env.ONE_WORKER_CLIENT;
  const present = real !== undefined && existsSync(join(real, 'src/worker.ts'));
  if (!present)
    console.warn(
      'oneWorkerWire.test.ts: ONE_WORKER_CLIENT is not set to a checkout of onecomputexyz/one-worker; the request-by-request comparison with the real client is skipped (scripts/real-worker-check.sh runs it end to end)',
    );
  it.skipIf(!present)(
    'the real client (ONE_WORKER_CLIENT checkout) sends exactly what onesim’s client sends',
    async () => {
      const mod = (await import(pathToFileURL(join(real!, 'src/worker.ts')).href)) as {
        Worker: new (
          o: unknown,
        ) => {
          pollOnce(): Promise<unknown>;
          serve(job: unknown): Promise<unknown>;
        };
      };
      const keys = (await import(pathToFileURL(join(real!, 'src/keys.ts')).href)) as {
        loadKey(pem: string): unknown;
      };
      const privateKey = key();
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const theirs = recorder();
      const worker = new mod.Worker({
        config: { gateway, backend, models: ['tinylm-s', 'other'], pollMs: 250 },
        key: keys.loadKey(pem),
        fetch: theirs.fetch,
      });
      await worker.serve(await worker.pollOnce());
      const ours = recorder();
      const c = createOneWorkerClient({
        gatewayUrl: gateway,
        backendUrl: backend,
        privateKey,
        models: ['tinylm-s', 'other'],
        fetch: ours.fetch,
      });
      await c.serve((await c.pollOnce())!);
      expect(ours.seen).toEqual(theirs.seen);
    },
  );
});
