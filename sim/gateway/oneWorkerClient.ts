import type { KeyObject } from 'node:crypto';
import {
  createOneWorkerSigner,
  digestJson,
  ONE_WORKER_GENESIS,
  type OneWorkerReceipt,
  oneWorkerLinkHash,
} from '../../protocol/index.ts';
import type { JobOffer } from './handOutJob.ts';
import { workerKeyHeader } from './workerIdentity.ts';

export type OneWorkerClientOptions = {
  /** Gateway base URL (`http://host:port`). */
  gatewayUrl: string;
  /** Runs a job's params on an OpenAI-compatible backend; returns the output the receipt binds. */
  runJob: (params: Record<string, unknown>) => Promise<unknown>;
  privateKey: KeyObject;
  models: string[];
  fetch?: typeof fetch;
};

export type WorkedJob = {
  id: number;
  params: Record<string, unknown>;
  output: unknown;
  receipt: OneWorkerReceipt;
  link: string;
  status: number;
  answer: unknown;
};

/** Runs params on the OpenAI-compatible backend at `baseUrl` (`…/v1`); the completion object is the output. */
export function openAiBackend(baseUrl: string, f: typeof fetch = fetch) {
  return async (params: Record<string, unknown>): Promise<unknown> => {
    const res = await f(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: false }),
    });
    if (!res.ok) throw new Error(`backend: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/**
 * A worker following the public ONE worker protocol (PROTOCOL §6): poll `GET /jobs/next`, run
 * the params on the backend, sign `{prev, requestHash, model, worker, outputDigest}` with
 * ed25519, chain it to the previous receipt's linkHash and `POST /jobs/:id/result`. `sign`
 * lets tests tamper with the result before it is posted.
 */
export function createOneWorkerClient(o: OneWorkerClientOptions) {
  const signer = createOneWorkerSigner(o.privateKey);
  const f = o.fetch ?? fetch;
  const headers = { [workerKeyHeader]: signer.worker };
  return {
    key: signer.worker,
    async poll(): Promise<JobOffer | null> {
      const res = await f(
        `${o.gatewayUrl}/jobs/next?models=${o.models.map(encodeURIComponent).join(',')}`,
        { headers },
      );
      if (res.status === 204) return null;
      if (res.status !== 200) throw new Error(`poll: ${res.status} ${await res.text()}`);
      return (await res.json()) as JobOffer;
    },
    async work(offer: JobOffer) {
      const output = await o.runJob(offer.params);
      const prev = offer.prevReceipt ? oneWorkerLinkHash(offer.prevReceipt) : ONE_WORKER_GENESIS;
      const receipt = signer.sign({
        prev,
        requestHash: digestJson(offer.params),
        model: String(offer.params.model),
        outputDigest: digestJson(output),
      });
      return { output, receipt, link: oneWorkerLinkHash(receipt) };
    },
    sign: (fields: Parameters<typeof signer.sign>[0]) => signer.sign(fields),
    async post(
      id: number,
      body: { output: unknown; receipt: OneWorkerReceipt; link: string },
    ): Promise<{ status: number; answer: unknown }> {
      const res = await f(`${o.gatewayUrl}/jobs/${id}/result`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, answer: await res.json() };
    },
    /** One round: poll; when a job comes, run, sign, chain and post it. */
    async step(): Promise<WorkedJob | null> {
      const offer = await this.poll();
      if (!offer) return null;
      const done = await this.work(offer);
      const { status, answer } = await this.post(offer.id, done);
      return { id: offer.id, params: offer.params, ...done, status, answer };
    },
  };
}
