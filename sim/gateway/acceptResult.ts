import {
  createSimSigner,
  digestJson,
  type Hex,
  ONE_WORKER_GENESIS,
  type OneWorkerReceipt,
  oneWorkerLinkHash,
  receiptOfJob,
  verifyOneWorkerReceipt,
} from '../../protocol/index.ts';
import { isSealedBox, type SealedBox } from '../io/sealing.ts';
import type { GatewayCore, GatewayJob, GatewayWorker } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { type Registration, registerOpen, resultWorker } from './registration.ts';
import { recordSealedOutput, type SealedJobs } from './sealedJobs.ts';

export type AcceptResultParameters = {
  core: GatewayCore;
  /** The id the offer carried (`<jobId>.<lease>`), from `POST /jobs/:id/result`. */
  leaseId: string;
  body: unknown;
  registration: Registration;
  workerSlots: number;
  /** Sealed jobs: a result for one must be sealed to its requester, and is kept for it. */
  sealed?: SealedJobs;
  /** Told when open registration admits a new worker (the CLI prints it). */
  onRegistered?: (w: GatewayWorker) => void;
};
export type AcceptResultReturnType = {
  jobId: number;
  link: string;
  receiptId: Hex;
  worker: string;
  /** The receipt started the worker's chain again from "" (it had lost its chain state). */
  chainRestart: boolean;
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

const leaseIdPattern = /^(\d{1,15})\.(\d{1,9})$/;

/**
 * The job a result is for, through the lease it names: the lease must be the job's current one,
 * still running, and (when the poll named its worker) answered by that worker. Else 4xx.
 */
function jobFor(
  core: GatewayCore,
  leaseId: string,
  receipt: OneWorkerReceipt,
  nowMs: number,
): GatewayJob {
  const m = leaseIdPattern.exec(leaseId);
  const jobId = m ? Number(m[1]) : Number.NaN;
  const job = core.jobs.get(jobId);
  const pj = core.state.jobs.get(jobId);
  if (!m || !job || !pj || Number(m[2]) < 1 || Number(m[2]) > job.leases)
    throw new GatewayError(
      404,
      'UnknownJob',
      `id: no open job was handed out as ${JSON.stringify(leaseId)} (never, or expired or settled since)`,
      'id',
    );
  if (pj.status === 'completed')
    throw new GatewayError(
      409,
      'AlreadyCompleted',
      `id: job ${jobId} is already completed (a duplicate result)`,
      'id',
    );
  const lease = job.lease;
  if (!lease || lease.id !== leaseId || nowMs > lease.untilMs)
    throw new GatewayError(
      410,
      'LeaseExpired',
      `id: the lease ${leaseId} ended${lease ? ` (the job is now leased as ${lease.id})` : ''}; poll again`,
      'id',
    );
  if (lease.boundKey !== null && receipt.worker !== lease.boundKey)
    throw new GatewayError(
      403,
      'WrongWorker',
      `receipt.worker: lease ${leaseId} was handed to another worker`,
      'receipt.worker',
    );
  return job;
}

/** Every check of PROTOCOL §6 on the ONE-format receipt; throws GatewayError naming the first failure. */
function checkReceipt(
  job: GatewayJob,
  /** The worker's chain head, or null before its first receipt here (any prev anchors the chain). */
  head: string | null,
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
  // "" starts the chain again: the public client keeps its head in memory only, so a restarted
  // worker signs from "" (counted in /status as a chain restart; see README).
  if (head !== null && receipt.prev !== head && receipt.prev !== ONE_WORKER_GENESIS)
    fail(
      409,
      'BadChainLink',
      'receipt.prev',
      `the worker's chain head is ${JSON.stringify(head)}, got ${JSON.stringify(receipt.prev)}`,
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
 * `POST /jobs/:id/result`: verifies the worker's ONE receipt against the lease it answers, admits
 * the worker (open registration) and completes the job in the protocol with an EIP-712-shaped
 * receipt the gateway signs in the simulator's scheme (see README). Refusals throw GatewayError
 * (4xx) and change nothing.
 */
export function acceptResult(p: AcceptResultParameters): AcceptResultReturnType {
  const { core } = p;
  const parsed = parseBody(p.body);
  // One instant for every check and the completion, so a lease cannot end in between.
  const finishedAt = core.nowMs();
  const job = jobFor(core, p.leaseId, parsed.receipt, finishedAt);
  const known = resultWorker(core, p.registration, parsed.receipt.worker);
  if (known && !known.models.includes(job.modelName))
    throw new GatewayError(
      403,
      'WrongWorker',
      `receipt.model: ${job.modelName} is not among the worker's registered models (${known.models.join(', ')})`,
      'receipt.model',
    );
  checkReceipt(job, known && known.receipts > 0 ? known.head : null, parsed);
  if (job.sealedFor !== undefined && !isSealedBox(parsed.output))
    throw new GatewayError(
      422,
      'OutputNotSealed',
      'output: a sealed job’s result must be a sealed box (to the requester’s replyTo key)',
      'output',
    );
  const worker = known ?? registerOpen(core, parsed.receipt.worker, p.workerSlots, finishedAt);
  if (!known) p.onRegistered?.(worker);
  const pj = core.state.jobs.get(job.id)!;
  const protocolWorker = core.state.workers.get(worker.address)!;
  const receipt = receiptOfJob(pj, {
    worker: worker.address,
    resultHash: `0x${parsed.receipt.outputDigest}`,
    finishedAt,
    prev: protocolWorker.chainHead,
  });
  const signature = createSimSigner(worker.address).sign(receipt);
  const chainRestart = parsed.receipt.prev === ONE_WORKER_GENESIS && worker.head !== '';
  const r = core.act(
    { type: 'completeJob', receipt, signature },
    { one: { receipt: parsed.receipt, link: parsed.link } },
    finishedAt,
  );
  if (!r.ok) throw new GatewayError(409, r.code, `id: job ${job.id}: ${r.message}`, 'id');
  if (job.sealedFor !== undefined && p.sealed)
    recordSealedOutput(p.sealed, job.id, parsed.output as SealedBox);
  return {
    jobId: job.id,
    link: parsed.link,
    receiptId: core.state.jobs.get(job.id)!.receiptId!,
    worker: worker.key,
    chainRestart,
  };
}
