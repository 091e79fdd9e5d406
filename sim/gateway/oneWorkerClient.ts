import type { KeyObject } from 'node:crypto';
import {
  createOneWorkerSigner,
  digestJson,
  ONE_WORKER_GENESIS,
  type OneWorkerReceipt,
  oneWorkerLinkHash,
} from '../../protocol/index.ts';
import { isSealedBox, open, type SealingKeyPair, seal } from '../io/sealing.ts';
import type { JobOffer } from './handOutJob.ts';
import { workerKeyHeader } from './workerIdentity.ts';

/**
 * onesim's ONE worker, written to do on the wire exactly what the public ONE worker client does
 * (`@onecompute/worker` v0.1.0, github.com/onecomputexyz/one-worker, src/worker.ts and
 * src/backend.ts): a bare `GET /jobs/next?models=<encodeURIComponent(models.join(","))>` with no
 * header; the job's params sent to the backend as `POST <backend>/chat/completions` with
 * `{...params, stream: false}`; the receipt signed over `{prev, requestHash, model, worker,
 * outputDigest}` with `prev = job.prevReceipt ?? lastLink`; `POST /jobs/<encodeURIComponent(id)>/result`
 * with `content-type: application/json` and `{output, receipt, link}`; any non-2xx is an error
 * and the chain moves on only when the gateway accepted the result. `sim/gateway/oneWorkerWire.test.ts`
 * pins these details.
 */
export type OneWorkerClientOptions = {
  /** Gateway base URL (`ONE_GATEWAY`), trailing slashes stripped. */
  gatewayUrl: string;
  /** OpenAI-compatible backend base URL (`ONE_BACKEND`, e.g. `http://127.0.0.1:8000/v1`). */
  backendUrl: string;
  privateKey: KeyObject;
  /** `ONE_MODELS`, trimmed and de-duplicated. */
  models: string[];
  /** `ONE_POLL_MS` (default 2000). */
  pollMs?: number;
  /** Per-request backend timeout (the real client's 120 s). */
  backendTimeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * onesim's extension for sealed jobs (not in the public client): the worker's X25519 key pair.
   * Polls then name the worker (`x-one-worker`), so the gateway can hand it jobs sealed to it; a
   * sealed job is opened here, run on the backend, and its result sealed to the requester.
   */
  sealingKey?: SealingKeyPair;
  /**
   * Sealed jobs are opened by the backend, not here: the box goes as is to
   * `POST <backend>/sealed/chat/completions` (`onesim serve-model` with a sealing key,
   * gpu-harness/serve), whose sealed answer is the output. Polls name the worker, as with
   * `sealingKey`; the box is then sealed to the backend's key.
   */
  sealedBackend?: boolean;
};

export type ServedJob = {
  id: string;
  params: Record<string, unknown>;
  output: unknown;
  receipt: OneWorkerReceipt;
  link: string;
};

/** The result of a job before it is posted: what `serve` signs and sends. */
export type SignedResult = { output: unknown; receipt: OneWorkerReceipt; link: string };

const strip = (url: string) => url.replace(/\/+$/, '');

async function safeText(res: Response): Promise<string> {
  try {
    return await res.text();
  } catch {
    return '';
  }
}

export function createOneWorkerClient(o: OneWorkerClientOptions) {
  const signer = createOneWorkerSigner(o.privateKey);
  const f = o.fetch ?? fetch;
  const gateway = strip(o.gatewayUrl);
  const backend = strip(o.backendUrl);
  const models = [...new Set(o.models.map((m) => m.trim()).filter(Boolean))];
  const pollMs = o.pollMs ?? 2_000;
  const controller = new AbortController();
  let lastLink = ONE_WORKER_GENESIS;
  let served = 0;
  let failed = 0;
  let stopped = false;

  const chatCompletion = (params: Record<string, unknown>) =>
    postBackend('/chat/completions', { ...params, stream: false });

  async function postBackend(path: string, body: unknown): Promise<unknown> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), o.backendTimeoutMs ?? 120_000);
    try {
      const res = await f(`${backend}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
        signal: timeout.signal,
      });
      if (!res.ok)
        throw new Error(`backend ${path.slice(1)} ${res.status}: ${await safeText(res)}`);
      return await res.json();
    } finally {
      clearTimeout(timer);
    }
  }

  const client = {
    key: signer.worker,
    get lastLink() {
      return lastLink;
    },
    get stats() {
      const total = served + failed;
      return { served, failed, reliability: total === 0 ? 1 : served / total };
    },
    /** One poll: the job, or null on 204; throws on any other status. */
    async pollOnce(): Promise<JobOffer | null> {
      const url = `${gateway}/jobs/next?models=${encodeURIComponent(models.join(','))}`;
      const res = await f(url, {
        signal: controller.signal,
        ...(o.sealingKey || o.sealedBackend
          ? { headers: { [workerKeyHeader]: signer.worker } }
          : {}),
      });
      if (res.status === 204) return null;
      if (!res.ok) throw new Error(`gateway poll ${res.status}: ${await safeText(res)}`);
      return (await res.json()) as JobOffer;
    },
    /** Runs the job on the backend and signs its receipt, chained to `prevReceipt ?? lastLink`. */
    async work(job: JobOffer): Promise<SignedResult> {
      const sealed = job.params.sealed as { box?: unknown; replyTo?: unknown } | undefined;
      let output: unknown;
      if (sealed === undefined) output = await chatCompletion({ ...job.params, stream: false });
      else if (o.sealedBackend)
        output = await postBackend('/sealed/chat/completions', {
          ...sealed,
          model: job.params.model,
        });
      else {
        // Opened here only: the plaintext goes to this worker's own backend, and back sealed.
        if (!o.sealingKey || !isSealedBox(sealed.box) || typeof sealed.replyTo !== 'string')
          throw new Error(`job ${job.id} is sealed, and this worker cannot open it`);
        const params = JSON.parse(open(sealed.box, o.sealingKey.privateKey).toString('utf8'));
        const answer = await chatCompletion({ ...params, model: job.params.model, stream: false });
        output = seal({ plaintext: JSON.stringify(answer), recipientPublicKey: sealed.replyTo });
      }
      const receipt = signer.sign({
        prev: job.prevReceipt ?? lastLink,
        requestHash: digestJson(job.params),
        model: String(job.params.model),
        outputDigest: digestJson(output),
      });
      return { output, receipt, link: oneWorkerLinkHash(receipt) };
    },
    /** Posts a result; the answer's status and body (tests post tampered results through it). */
    async post(id: string, body: SignedResult): Promise<{ status: number; answer: unknown }> {
      const res = await f(`${gateway}/jobs/${encodeURIComponent(id)}/result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const text = await safeText(res);
      let answer: unknown = text;
      try {
        answer = JSON.parse(text);
      } catch {}
      return { status: res.status, answer };
    },
    /** A job end to end, like the real client's `serve`: throws on a refused result; the chain moves on only when accepted. */
    async serve(job: JobOffer): Promise<ServedJob> {
      const done = await client.work(job);
      const r = await client.post(job.id, done);
      if (r.status < 200 || r.status > 299)
        throw new Error(`gateway result ${r.status}: ${JSON.stringify(r.answer)}`);
      lastLink = done.link;
      served++;
      return { id: job.id, params: job.params, ...done };
    },
    /** Signs arbitrary fields with this worker's key (tests forge receipts with it). */
    sign: (fields: Parameters<typeof signer.sign>[0]) => signer.sign(fields),
    /** The real client's loop: poll, serve, sleep `pollMs` when idle, back off ×2 (capped) on errors. */
    async runForever(onError: (error: unknown) => void = () => {}): Promise<void> {
      let backoff = pollMs;
      const maxBackoff = Math.max(pollMs * 16, 30_000);
      while (!stopped) {
        try {
          const job = await client.pollOnce();
          if (!job) {
            await idle(pollMs);
            backoff = pollMs;
            continue;
          }
          await client.serve(job);
          backoff = pollMs;
        } catch (error) {
          if (stopped) break;
          failed++;
          onError(error);
          await idle(backoff);
          backoff = Math.min(backoff * 2, maxBackoff);
        }
      }
    },
    stop(): void {
      stopped = true;
      controller.abort();
    },
  };
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      controller.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  return client;
}

export type OneWorkerClient = ReturnType<typeof createOneWorkerClient>;
