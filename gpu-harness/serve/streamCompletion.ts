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
 * final chunk with finish_reason and usage, then `data: [DONE]` (with `n`, each chunk once per
 * choice, its `index` set; usage rides on the last). The runtime decodes all tokens
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
  const choices = Array.from({ length: request.choices }, (_, i) => i);
  for (const i of choices) event(res, chunkBody(head, { role: 'assistant', content: '' }, null, i));
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
  for (const piece of c.pieces)
    for (const i of choices) event(res, chunkBody(head, { content: piece }, null, i));
  for (const i of choices.slice(0, -1)) event(res, chunkBody(head, {}, c.finishReason, i));
  event(res, { ...chunkBody(head, {}, c.finishReason, choices.length - 1), usage: c.usage });
  event(res, '[DONE]');
  res.end();
}
