import { createHash } from 'node:crypto';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import type { ChatRequest } from './chatRequest.ts';
import { decodeToken } from './promptTokens.ts';

/** What one request produced, ready to be written as a response or as stream chunks. */
export type Completion = {
  id: string;
  created: number;
  model: string;
  pieces: string[];
  /** How many choices (`n`); greedy decoding makes them identical. */
  choices: number;
  finishReason: 'stop' | 'length';
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
};

/** A digest of the request: the same request and seed give the same id. */
export function completionId(request: ChatRequest): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([request.model, request.messages, request.seed, request.maxTokens]))
    .digest('hex');
  return `chatcmpl-${digest.slice(0, 24)}`;
}

/** The id is a digest of the request, so the same request and seed give the same response body. */
export function toCompletion(p: {
  request: ChatRequest;
  result: InferenceResult;
  promptTokens: number;
  createdSec: number;
}): Completion {
  const { request, result } = p;
  const all = result.output.values;
  const tokens = all.slice(0, request.maxTokens);
  return {
    id: completionId(request),
    created: p.createdSec,
    model: request.model,
    pieces: tokens.map(decodeToken),
    choices: request.choices,
    finishReason: tokens.length < all.length ? 'length' : 'stop',
    // As OpenAI counts them: every choice's tokens, the prompt once.
    usage: {
      prompt_tokens: p.promptTokens,
      completion_tokens: tokens.length * request.choices,
      total_tokens: p.promptTokens + tokens.length * request.choices,
    },
  };
}

/** The non-streaming `chat.completion` object. */
export function completionBody(c: Completion) {
  return {
    id: c.id,
    object: 'chat.completion',
    created: c.created,
    model: c.model,
    choices: Array.from({ length: c.choices }, (_, index) => ({
      index,
      message: { role: 'assistant', content: c.pieces.join('') },
      finish_reason: c.finishReason,
      logprobs: null,
    })),
    usage: c.usage,
  };
}

type Delta = { role?: 'assistant'; content?: string };

/** One `chat.completion.chunk` of the stream, for choice `index`. */
export function chunkBody(
  c: Pick<Completion, 'id' | 'created' | 'model'>,
  delta: Delta,
  finishReason: string | null,
  index = 0,
) {
  return {
    id: c.id,
    object: 'chat.completion.chunk',
    created: c.created,
    model: c.model,
    choices: [{ index, delta, finish_reason: finishReason, logprobs: null }],
  };
}
