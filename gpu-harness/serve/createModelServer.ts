import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../../protocol/errors.ts';
import { sendJson } from '../../sim/io/httpJson.ts';
import {
  isSealedBox,
  open,
  type SealingKeyPair,
  SealOpenError,
  seal,
} from '../../sim/io/sealing.ts';
import { getModel, UnknownModelError, type ZooModel } from '../models/registry.ts';
import { createRuntime, type Runtime } from '../runtime/createRuntime.ts';
import { completionBody, toCompletion } from './chatCompletion.ts';
import { ApiError, type ChatLimits, parseChatRequest } from './chatRequest.ts';
import { readJsonBody, sendError } from './httpJson.ts';
import { promptSample } from './promptTokens.ts';
import { streamCompletion } from './streamCompletion.ts';

export type ModelServerOptions = {
  modelName: string;
  /** Worker threads running inference (one onnxruntime session each), off the event loop. */
  workers: number;
  /** Requests being answered at once; more get 429. */
  inflightMax: number;
  bodyBytesMax: number;
  messagesMax: number;
  contentCharsMax: number;
  warmupIterations: number;
  /**
   * This runtime's X25519 key pair: with it, `POST /v1/sealed/chat/completions` takes
   * `{box, replyTo, model?}` (chat-completion params sealed to this key, sim/io/sealing.ts), opens them
   * here, and answers the completion sealed to `replyTo`: the prompt and the answer exist in clear
   * only inside this process. Absent: no such route.
   */
  sealingKey?: SealingKeyPair;
};

export const modelServerDefaults = {
  workers: 1,
  inflightMax: 256,
  bodyBytesMax: 1 << 20,
  messagesMax: 256,
  contentCharsMax: 65_536,
  warmupIterations: 2,
} as const satisfies Omit<ModelServerOptions, 'modelName'>;

export type ModelServer = {
  readonly model: ZooModel;
  readonly server: Server;
  /** Starts listening; resolves to the base URL (`http://host:port/v1`). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  stats(): { requests: number; completions: number; errors: number; inflight: number };
};

/**
 * An OpenAI-compatible backend for one zoo text model: `GET /v1/models`,
 * `POST /v1/chat/completions` (JSON or server-sent events). Throws UnknownModelError, or
 * an InputError (field model) when the model is not a text model.
 */
export async function createModelServer(
  options: Partial<ModelServerOptions> & { modelName: string },
): Promise<ModelServer> {
  const o: ModelServerOptions = { ...modelServerDefaults, ...options };
  const model = getModel(o.modelName);
  if (!model.textGen) throw new InputError(`--model: ${model.name} is not a text model`, 'model');
  const runtime = await createRuntime({
    modelName: model.name,
    workers: o.workers,
    warmupIterations: o.warmupIterations,
  });
  const limits: ChatLimits = {
    messagesMax: o.messagesMax,
    contentCharsMax: o.contentCharsMax,
    maxTokensMax: model.textGen.newTokensMax,
  };
  const counts = { requests: 0, completions: 0, errors: 0, inflight: 0 };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    counts.requests++;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(model));
    const sealed = path === '/v1/sealed/chat/completions' && o.sealingKey !== undefined;
    if ((path === '/v1/chat/completions' || sealed) && req.method === 'POST') {
      if (counts.inflight >= o.inflightMax)
        throw new ApiError(
          429,
          `server busy: ${o.inflightMax} requests in flight`,
          'rate_limit_error',
          null,
        );
      counts.inflight++;
      try {
        const ctx = { runtime, model, limits, bodyBytesMax: o.bodyBytesMax };
        if (sealed) await sealedChat(req, res, ctx, o.sealingKey!);
        else await chat(req, res, ctx);
        counts.completions++;
      } finally {
        counts.inflight--;
      }
      return;
    }
    throw new ApiError(404, `no route ${req.method} ${path}`, 'invalid_request_error', null);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      counts.errors++;
      sendError(res, error);
    });
  });
  return {
    model,
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const a = server.address() as AddressInfo;
          resolve(`http://${host}:${a.port}/v1`);
        });
      }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
    stats: () => ({ ...counts }),
  };
}

function modelList(model: ZooModel) {
  return {
    object: 'list',
    data: [{ id: model.name, object: 'model', created: 0, owned_by: 'onesim' }],
  };
}

type ChatContext = { runtime: Runtime; model: ZooModel; limits: ChatLimits; bodyBytesMax: number };

async function chat(req: IncomingMessage, res: ServerResponse, ctx: ChatContext): Promise<void> {
  const request = parseChatRequest(await readJsonBody(req, ctx.bodyBytesMax), ctx.limits);
  const result = await runChat(request, ctx, res);
  if (result === null) return;
  sendJson(res, 200, result);
}

/** A sealed request: opened with this runtime's key, answered sealed to `replyTo` (no streaming). */
async function sealedChat(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ChatContext,
  key: SealingKeyPair,
): Promise<void> {
  const body = (await readJsonBody(req, ctx.bodyBytesMax)) as {
    box?: unknown;
    replyTo?: unknown;
    model?: unknown;
  };
  if (body === null || typeof body !== 'object' || !isSealedBox(body.box))
    throw new ApiError(400, 'box: expected a sealed box', 'invalid_request_error', 'box');
  if (typeof body.replyTo !== 'string' || Buffer.from(body.replyTo, 'base64').length !== 32)
    throw new ApiError(400, 'replyTo: expected an X25519 key', 'invalid_request_error', 'replyTo');
  let params: unknown;
  try {
    params = JSON.parse(open(body.box, key.privateKey).toString('utf8'));
    // The job's model, named outside the box (the gateway routes by it), wins.
    if (typeof body.model === 'string' && params !== null && typeof params === 'object')
      params = { ...params, model: body.model };
  } catch (error) {
    if (!(error instanceof SealOpenError || error instanceof SyntaxError)) throw error;
    throw new ApiError(400, `box: ${error.message}`, 'invalid_request_error', 'box');
  }
  const request = parseChatRequest(params, ctx.limits);
  if (request.stream)
    throw new ApiError(
      400,
      'stream: sealed requests are answered whole',
      'invalid_request_error',
      'stream',
    );
  const result = await runChat(request, ctx, res);
  sendJson(res, 200, seal({ plaintext: JSON.stringify(result), recipientPublicKey: body.replyTo }));
}

/** Runs a parsed request: the completion body, or null when it was streamed to `res`. */
async function runChat(
  request: ReturnType<typeof parseChatRequest>,
  ctx: ChatContext,
  res: ServerResponse,
): Promise<unknown> {
  if (request.model !== ctx.model.name)
    throw new ApiError(
      404,
      `model: ${JSON.stringify(request.model)} is not served here (serving ${ctx.model.name})`,
      'not_found_error',
      'model',
    );
  const sample = promptSample(ctx.model, request.messages, request.seed);
  const promptTokens = ctx.model.textGen!.promptTokens;
  const createdSec = Math.floor(Date.now() / 1000);
  const infer = () => ctx.runtime.infer({ sample });
  if (request.stream) {
    await streamCompletion({ res, request, createdSec, promptTokens, infer });
    return null;
  }
  const result = await infer();
  return completionBody(toCompletion({ request, result, promptTokens, createdSec }));
}

export { UnknownModelError };
