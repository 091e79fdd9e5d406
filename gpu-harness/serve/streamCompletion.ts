import type { ServerResponse } from 'node:http';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { chunkBody, completionId, toCompletion } from './chatCompletion.ts';
import type { ChatRequest } from './chatRequest.ts';

export type StreamCompletionParameters = {
  res: ServerResponse;
  request: ChatRequest;
  createdSec: number;
  promptTokens: number;
  infer: () => Promise<InferenceResult>;
};

const event = (res: ServerResponse, data: unknown) =>
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);

/**
 * Server-sent events in OpenAI's chunk format: a role chunk at once, one chunk per token, a
 * final chunk with finish_reason and usage, then `data: [DONE]`. The runtime decodes all tokens
 * in one worker-thread call, so the token chunks leave together when decoding ends: a client's
 * time to first token here includes the whole decode (honest for this backend, not a model of
 * a KV-cached server).
 */
export async function streamCompletion(p: StreamCompletionParameters): Promise<void> {
  const { res, request } = p;
  const head = { id: completionId(request), created: p.createdSec, model: request.model };
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  event(res, chunkBody(head, { role: 'assistant', content: '' }, null));
  let result: InferenceResult;
  try {
    result = await p.infer();
  } catch (error) {
    event(res, {
      error: {
        message: error instanceof Error ? error.message : String(error),
        type: 'server_error',
        param: null,
      },
    });
    res.end();
    return;
  }
  const c = toCompletion({
    request,
    result,
    promptTokens: p.promptTokens,
    createdSec: p.createdSec,
  });
  for (const piece of c.pieces) event(res, chunkBody(head, { content: piece }, null));
  event(res, { ...chunkBody(head, {}, c.finishReason), usage: c.usage });
  event(res, '[DONE]');
  res.end();
}
