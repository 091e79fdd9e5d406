import {
  createSimSigner,
  digestJson,
  type Hex,
  type OneWorkerReceipt,
  oneWorkerLinkHash,
  type Receipt,
  verifyOneWorkerReceipt,
} from '../../protocol/index.ts';
import type { GatewayCore, GatewayJob, GatewayWorker } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';

export type AcceptResultParameters = { core: GatewayCore; jobId: number; body: unknown };
export type AcceptResultReturnType = {
  jobId: number;
  link: string;
  receiptId: Hex;
  worker: string;
};

const receiptFields = ['prev', 'requestHash', 'model', 'worker', 'outputDigest', 'sig'] as const;

function parseBody(body: unknown): { output: unknown; receipt: OneWorkerReceipt; link: string } {
  const b = body as { output?: unknown; receipt?: Record<string, unknown>; link?: unknown } | null;
  if (b === null || typeof b !== 'object')
    throw new GatewayError(400, 'BadBody', 'body: expected {output, receipt, link}', 'body');
  if (!('output' in b)) throw new GatewayError(400, 'BadBody', 'output: missing', 'output');
  if (b.receipt === null || typeof b.receipt !== 'object')
    throw new GatewayError(400, 'BadBody', 'receipt: expected an object', 'receipt');
  for (const f of receiptFields)
    if (typeof b.receipt[f] !== 'string')
      throw new GatewayError(
        400,
        'BadBody',
        `receipt.${f}: expected a string, got ${JSON.stringify(b.receipt[f])}`,
        `receipt.${f}`,
      );
  if (typeof b.link !== 'string')
    throw new GatewayError(400, 'BadBody', 'link: expected the receipt’s linkHash (hex)', 'link');
  const r = b.receipt as Record<(typeof receiptFields)[number], string>;
  const receipt = {
    prev: r.prev,
    requestHash: r.requestHash,
    model: r.model,
    worker: r.worker,
    outputDigest: r.outputDigest,
    sig: r.sig,
  };
  return { output: b.output, receipt, link: b.link };
}

/** The job this result is for, held by the receipt's worker and handed out; else why not. */
function jobFor(
  core: GatewayCore,
  jobId: number,
  receipt: OneWorkerReceipt,
): { job: GatewayJob; worker: GatewayWorker } {
  const job = core.jobs.get(jobId);
  const pj = core.state.jobs.get(jobId);
  if (!job || !pj)
    throw new GatewayError(
      404,
      'UnknownJob',
      `job ${jobId}: no open job (never submitted, expired or already settled)`,
      'id',
    );
  if (pj.status === 'completed')
    throw new GatewayError(
      409,
      'AlreadyCompleted',
      `job ${jobId}: already completed (a replayed result)`,
      'id',
    );
  const worker = job.worker ? core.workers.get(job.worker) : undefined;
  if (!worker || !job.handedOut)
    throw new GatewayError(409, 'NotHandedOut', `job ${jobId}: not handed to any worker yet`, 'id');
  if (receipt.worker !== worker.key)
    throw new GatewayError(
      403,
      'WrongWorker',
      `receipt.worker: job ${jobId} was handed to another worker`,
      'receipt.worker',
    );
  return { job, worker };
}

/** Every check of PROTOCOL §6 on the ONE-format receipt; throws GatewayError naming the first failure. */
function checkReceipt(
  job: GatewayJob,
  worker: GatewayWorker,
  parsed: ReturnType<typeof parseBody>,
): void {
  const { receipt, output, link } = parsed;
  const fail = (status: number, code: string, field: string, message: string): never => {
    throw new GatewayError(status, code, `${field}: ${message}`, field);
  };
  if (receipt.model !== job.modelName)
    fail(
      422,
      'ModelMismatch',
      'receipt.model',
      `job ${job.id} is for ${job.modelName}, got ${receipt.model}`,
    );
  if (receipt.requestHash !== job.requestHash)
    fail(
      422,
      'RequestHashMismatch',
      'receipt.requestHash',
      `job ${job.id}'s params hash to ${job.requestHash}, got ${receipt.requestHash}`,
    );
  if (receipt.outputDigest !== digestJson(output))
    fail(
      422,
      'OutputDigestMismatch',
      'receipt.outputDigest',
      `the output hashes to ${digestJson(output)}, got ${receipt.outputDigest}`,
    );
  if (!verifyOneWorkerReceipt(receipt))
    fail(
      401,
      'BadSignature',
      'receipt.sig',
      'the ed25519 signature does not verify for receipt.worker',
    );
  if (receipt.prev !== worker.head)
    fail(
      409,
      'BadChainLink',
      'receipt.prev',
      `the worker's chain head is ${JSON.stringify(worker.head)}, got ${JSON.stringify(receipt.prev)}`,
    );
  if (link !== oneWorkerLinkHash(receipt))
    fail(
      422,
      'BadLink',
      'link',
      `expected sha256(payload + sig) = ${oneWorkerLinkHash(receipt)}, got ${link}`,
    );
}

/**
 * `POST /jobs/:id/result`: verifies the worker's ONE receipt, then completes the job in the
 * protocol with an EIP-712-shaped receipt the gateway signs in the simulator's scheme (see
 * README). Refusals throw GatewayError (4xx) and change nothing.
 */
export function acceptResult(p: AcceptResultParameters): AcceptResultReturnType {
  const { core, jobId } = p;
  const parsed = parseBody(p.body);
  const { job, worker } = jobFor(core, jobId, parsed.receipt);
  checkReceipt(job, worker, parsed);
  const pj = core.state.jobs.get(jobId)!;
  const protocolWorker = core.state.workers.get(worker.address)!;
  const finishedAt = core.nowMs();
  const receipt: Receipt = {
    jobId,
    lane: pj.lane,
    requester: pj.requester,
    model: pj.model as Hex,
    worker: worker.address,
    requestHash: pj.requestHash,
    resultHash: `0x${parsed.receipt.outputDigest}`,
    units: pj.units,
    price: pj.priceMicroUsdcPerCu,
    finishedAt,
    prev: protocolWorker.chainHead,
  };
  const signature = createSimSigner(worker.address).sign(receipt);
  const r = core.act(
    { type: 'completeJob', receipt, signature },
    { one: { receipt: parsed.receipt, link: parsed.link } },
    finishedAt,
  );
  if (!r.ok) throw new GatewayError(409, r.code, `job ${jobId}: ${r.message}`, 'id');
  return {
    jobId,
    link: parsed.link,
    receiptId: core.state.jobs.get(jobId)!.receiptId!,
    worker: worker.key,
  };
}
