import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelServer, type ModelServer } from './createModelServer.ts';

// `onesim serve-model` driven by the official OpenAI SDK (the `openai` npm package), as any
// OpenAI-compatible client would drive it: if the SDK cannot parse an answer or maps an error to
// the wrong type, a real client would fail the same way.
let server: ModelServer;
let client: OpenAI;

beforeAll(async () => {
  server = await createModelServer({
    modelName: 'tinylm-s',
    workers: 1,
    warmupIterations: 0,
    bodyBytesMax: 4096,
    inflightMax: 1,
  });
  client = new OpenAI({ baseURL: await server.listen(0), apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server.close());

const ask = (content: string) => [{ role: 'user' as const, content }];

describe('serve-model through the official openai SDK', () => {
  it('lists the model', async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(['tinylm-s']);
  });

  it('answers a plain chat completion the SDK parses, the same for the same seed', async () => {
    const a = await client.chat.completions.create({
      model: 'tinylm-s',
      messages: ask('hello'),
      max_tokens: 5,
      seed: 7,
    });
    expect(a.object).toBe('chat.completion');
    expect(a.model).toBe('tinylm-s');
    expect(a.choices[0]!.message.role).toBe('assistant');
    expect(a.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(a.usage!.completion_tokens).toBe(5);
    expect(['stop', 'length']).toContain(a.choices[0]!.finish_reason);
    const b = await client.chat.completions.create({
      model: 'tinylm-s',
      messages: ask('hello'),
      max_tokens: 5,
      seed: 7,
    });
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
  });

  it('streams chunks the SDK reassembles into the same text as the plain answer', async () => {
    const plain = await client.chat.completions.create({
      model: 'tinylm-s',
      messages: ask('stream me'),
      max_tokens: 6,
      seed: 3,
    });
    const stream = await client.chat.completions.create({
      model: 'tinylm-s',
      messages: ask('stream me'),
      max_tokens: 6,
      seed: 3,
      stream: true,
    });
    let text = '';
    let chunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(finish).toBe(plain.choices[0]!.finish_reason);
  });

  it('maps 400 to BadRequestError naming the param', async () => {
    const e = await client.chat.completions
      .create({ model: 'tinylm-s', messages: [], max_tokens: 2 })
      .catch((error: unknown) => error);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect((e as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(400);
    expect((e as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });

  it('maps an unknown model to NotFoundError', async () => {
    const e = await client.chat.completions
      .create({ model: 'gpt-nope', messages: ask('x') })
      .catch((error: unknown) => error);
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect((e as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model');
  });

  it('answers a body over the limit with 413, an APIError the SDK does not retry', async () => {
    const e = await client.chat.completions
      .create({ model: 'tinylm-s', messages: ask('x'.repeat(8_000)) })
      .catch((error: unknown) => error);
    expect(e).toBeInstanceOf(OpenAI.APIError);
    expect((e as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
  });

  it('maps a busy server to RateLimitError (429)', async () => {
    const many = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        client.chat.completions.create({
          model: 'tinylm-s',
          messages: ask(`busy ${i}`),
          max_tokens: 16,
        }),
      ),
    );
    const limited = many.filter(
      (r) => r.status === 'rejected' && r.reason instanceof OpenAI.RateLimitError,
    );
    expect(many.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(limited.length).toBeGreaterThan(0);
    expect(
      many.every((r) => r.status === 'fulfilled' || r.reason instanceof OpenAI.RateLimitError),
    ).toBe(true);
  });
});
