import { createHash } from 'node:crypto';
import type { SystemUnderTest } from '../loadgen/testSettings.ts';
import type { Sample } from '../models/sampleInputs.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { epochNowMs } from '../runtime/workerProtocol.ts';
import { readSse } from './readSse.ts';

export type EndpointSutOptions = {
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`. */
  url: string;
  model: string;
  /** Stream (server-sent events) to time the first token; else one JSON response. */
  stream: boolean;
  maxTokens: number;
  /** Requests in flight at once; the rest wait (their wait counts as queueing, as in the runtime). */
  concurrencyMax: number;
  /** CU a generated token costs (the profile's cuPerUnit). */
  cuPerToken: number;
  fetch?: typeof fetch;
};

/** Query i's prompt: a short deterministic chat, with the inputs digest the receipts would bind. */
export function endpointSamples(
  count: number,
  seed: number,
): { samples: Sample[]; prompts: string[] } {
  const prompts = Array.from(
    { length: count },
    (_, i) => `benchmark prompt ${seed}/${i}: say something`,
  );
  const samples = prompts.map((p, index) => ({
    index,
    data: new BigInt64Array(0),
    inputs: [],
    dims: [0],
    inputDigest: createHash('sha256').update(p).digest('hex'),
  }));
  return { samples, prompts };
}

/** A counting semaphore: `run` waits for a free slot. */
function limiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

type Reply = { text: string; tokens: number; tokenTimesMs: number[] };

async function callEndpoint(
  o: EndpointSutOptions,
  prompt: string,
  seed: number,
  signal?: AbortSignal,
): Promise<Reply> {
  const f = o.fetch ?? fetch;
  const body = {
    model: o.model,
    messages: [{ role: 'user', content: prompt }],
    max_tokens: o.maxTokens,
    seed,
    stream: o.stream,
    ...(o.stream ? { stream_options: { include_usage: true } } : {}),
  };
  const res = await f(`${o.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw new Error(`endpoint: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  if (!o.stream) {
    const j = (await res.json()) as {
      choices: Array<{ message: { content: string } }>;
      usage?: { completion_tokens?: number };
    };
    const text = j.choices[0]?.message.content ?? '';
    return { text, tokens: j.usage?.completion_tokens ?? 0, tokenTimesMs: [] };
  }
  const tokenTimesMs: number[] = [];
  let text = '';
  let usageTokens: number | null = null;
  const { done } = await readSse(res.body!, (data) => {
    const chunk = JSON.parse(data) as {
      choices?: Array<{ delta?: { content?: string } }>;
      usage?: { completion_tokens?: number };
    };
    const piece = chunk.choices?.[0]?.delta?.content;
    if (piece) {
      text += piece;
      tokenTimesMs.push(epochNowMs());
    }
    if (chunk.usage?.completion_tokens !== undefined) usageTokens = chunk.usage.completion_tokens;
  });
  if (!done) throw new Error('endpoint: the stream ended without data: [DONE]');
  return { text, tokens: usageTokens ?? tokenTimesMs.length, tokenTimesMs };
}

/**
 * LoadGen's system under test over HTTP: each query is one chat completion. Latency runs from
 * the query's issue time; with streaming, time to first token is the first content chunk and
 * time per output token the mean gap between content chunks.
 */
export function createEndpointSut(
  o: EndpointSutOptions,
  prompts: readonly string[],
): SystemUnderTest {
  const limit = limiter(o.concurrencyMax);
  const modelDigest = createHash('sha256').update(o.model).digest('hex');
  return {
    async infer({ sample, issuedAtEpochMs = epochNowMs(), signal }): Promise<InferenceResult> {
      return limit(async () => {
        signal?.throwIfAborted();
        const startedAtEpochMs = epochNowMs();
        const reply = await callEndpoint(
          o,
          prompts[sample.index % prompts.length]!,
          sample.index,
          signal,
        );
        const finishedAtEpochMs = epochNowMs();
        const t = reply.tokenTimesMs;
        return {
          model: modelDigest,
          modelName: o.model,
          sampleIndex: sample.index,
          inputDigest: sample.inputDigest,
          output: { dims: [reply.tokens], values: [] },
          outputDigest: createHash('sha256').update(reply.text).digest('hex'),
          tolerance: { scheme: 'exact' },
          units: { cu: o.cuPerToken * reply.tokens, generatedTokens: reply.tokens },
          provider: 'cpu',
          ortVersion: 'remote',
          timings: {
            issuedAtEpochMs,
            startedAtEpochMs,
            finishedAtEpochMs,
            queueMs: startedAtEpochMs - issuedAtEpochMs,
            runMs: finishedAtEpochMs - startedAtEpochMs,
            latencyMs: finishedAtEpochMs - issuedAtEpochMs,
            firstTokenMs: t.length > 0 ? t[0]! - issuedAtEpochMs : null,
            timePerOutputTokenMs: t.length > 1 ? (t[t.length - 1]! - t[0]!) / (t.length - 1) : null,
          },
        };
      });
    },
  };
}
