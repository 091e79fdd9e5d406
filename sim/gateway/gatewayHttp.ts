import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readJsonBody, sendJson } from '../io/httpJson.ts';
import { acceptResult } from './acceptResult.ts';
import type { GatewayCore, GatewayWorker } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { handOutJob } from './handOutJob.ts';
import { parseJobRequest } from './parseJobRequest.ts';
import type { Registration } from './registration.ts';
import { holdSealed, type SealedJobs, sealedStatus } from './sealedJobs.ts';
import { submitRequest } from './submitRequest.ts';
import { workerAddressOf, workerKeyHeader } from './workerIdentity.ts';

export type GatewayHttpOptions = {
  core: GatewayCore;
  bodyBytesMax: number;
  workerSlots: number;
  registration: Registration;
  leaseMs: number;
  onRegistered?: (w: GatewayWorker) => void;
  /** Units of a job whose request names none. */
  defaultUnits: (modelName: string, params: Record<string, unknown>) => bigint;
  status: () => unknown;
  /** Sealed requests held for their workers (sim/gateway/sealedJobs.ts). */
  sealed: SealedJobs;
};

const readJson = (req: IncomingMessage, bytesMax: number): Promise<unknown> =>
  readJsonBody(req, bytesMax, (r) =>
    r.kind === 'notJson'
      ? new GatewayError(400, 'BadJson', 'body: not valid JSON', 'body')
      : new GatewayError(413, 'BodyTooLarge', `body: at most ${r.bytesMax} bytes`, 'body'),
  );

/** A path segment as the client encoded it (`encodeURIComponent`); malformed escapes stay as sent. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Counts a refusal overall, by code, and against the worker whose key the request carried. */
function countRejection(core: GatewayCore, error: GatewayError, key: unknown): void {
  core.rejections.total++;
  core.rejections.byCode[error.code] = (core.rejections.byCode[error.code] ?? 0) + 1;
  if (typeof key !== 'string') return;
  try {
    const w = core.workers.get(workerAddressOf(key, 'key'));
    if (w) w.rejections[error.code] = (w.rejections[error.code] ?? 0) + 1;
  } catch {}
}

async function route(
  o: GatewayHttpOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const { core } = o;
  if (req.method === 'GET' && url.pathname === '/status') return sendJson(res, 200, o.status());
  if (req.method === 'GET' && url.pathname === '/jobs/next') {
    const models = (url.searchParams.get('models') ?? '').split(',').filter((m) => m !== '');
    const offer = handOutJob({
      core,
      models,
      hint: req.headers[workerKeyHeader],
      registration: o.registration,
      leaseMs: o.leaseMs,
      sealed: { store: o.sealed, units: (name) => o.defaultUnits(name, {}) },
    });
    await core.log?.commit();
    return offer ? sendJson(res, 200, offer) : sendJson(res, 204);
  }
  if (req.method === 'POST' && url.pathname === '/jobs') {
    const j = parseJobRequest(await readJson(req, o.bodyBytesMax));
    // A sealed job waits for its worker's poll: 202 and a reference to ask after it.
    if (j.sealed) return sendJson(res, 202, { ref: holdSealed(core, o.sealed, j.sealed) });
    const units = j.units ?? o.defaultUnits(j.modelName, j.params);
    const id = submitRequest({
      core,
      lane: j.lane,
      requester: j.requester,
      modelName: j.modelName,
      params: j.params,
      units,
    });
    await core.log?.commit();
    return sendJson(res, 201, { id });
  }
  const sealedRef = /^\/jobs\/sealed\/([^/]{1,64})$/.exec(url.pathname);
  if (req.method === 'GET' && sealedRef) {
    const e = sealedStatus(o.sealed, decodedSegment(sealedRef[1]!));
    return sendJson(res, 200, {
      ref: e.ref,
      status: e.status,
      jobId: e.jobId,
      error: e.error,
      output: e.output,
    });
  }
  const result = /^\/jobs\/([^/]{1,64})\/result$/.exec(url.pathname);
  if (req.method === 'POST' && result) {
    const body = await readJson(req, o.bodyBytesMax);
    let accepted: ReturnType<typeof acceptResult>;
    try {
      accepted = acceptResult({
        core,
        leaseId: decodedSegment(result[1]!),
        body,
        registration: o.registration,
        workerSlots: o.workerSlots,
        sealed: o.sealed,
        ...(o.onRegistered ? { onRegistered: o.onRegistered } : {}),
      });
    } catch (error) {
      const key = (body as { receipt?: { worker?: unknown } } | null)?.receipt?.worker;
      if (error instanceof GatewayError && typeof key === 'string') error.workerKey = key;
      throw error;
    }
    await core.log?.commit();
    return sendJson(res, 200, { accepted: true, ...accepted });
  }
  throw new GatewayError(404, 'NoRoute', `no route ${req.method} ${url.pathname}`, null);
}

/** The gateway's HTTP face: the ONE worker protocol (PROTOCOL §6), `POST /jobs` and `GET /status`. */
export function createGatewayHttp(o: GatewayHttpOptions): Server {
  return createServer((req, res) => {
    route(o, req, res).catch((error: unknown) => {
      if (error instanceof GatewayError) {
        countRejection(o.core, error, error.workerKey ?? req.headers[workerKeyHeader]);
        return sendJson(res, error.status, error.body());
      }
      sendJson(res, 500, {
        error: {
          code: 'Internal',
          message: error instanceof Error ? error.message : String(error),
          field: null,
        },
      });
    });
  });
}
