import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../endpoint/readSse.ts';
import { createModelServer, type ModelServer } from './createModelServer.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
type Json = any;
const json = (r: Response): Promise<Json> => r.json();

let server: ModelServer;
let url: string;

beforeAll(async () => {
  server = await createModelServer({
    modelName: 'tinylm-s',
    workers: 2,
    warmupIterations: 0,
    bodyBytesMax: 4096,
    messagesMax: 4,
  });
  url = await server.listen(0);
});
afterAll(() => server.close());

const post = (body: unknown) =>
  fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'tinylm-s',
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('serve-model: an OpenAI-compatible backend for a zoo text model', () => {
  it('lists the model and answers chat completions deterministically', async () => {
    const models = await json(await fetch(`${url}/models`));
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['tinylm-s']);
    const a = await json(await post(chat('hello', { max_tokens: 5, seed: 7 })));
    const b = await json(await post(chat('hello', { max_tokens: 5, seed: 7 })));
    const c = await json(await post(chat('hello', { max_tokens: 5, seed: 8 })));
    expect(a.object).toBe('chat.completion');
    expect(a.usage).toEqual({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
    expect(a.choices[0].finish_reason).toBe('length');
    expect(a.choices[0].message.content).toMatch(/^([a-z]{2} ){5}$/);
    expect({ ...b, created: 0 }).toEqual({ ...a, created: 0 });
    expect(c.choices[0].message.content).not.toBe(a.choices[0].message.content);
  });

  it('streams the same text as server-sent chunks ending with [DONE]', async () => {
    const whole = await json(await post(chat('stream me', { max_tokens: 6 })));
    const res = await post(chat('stream me', { max_tokens: 6, stream: true }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const { events, done } = await readSse(res.body!);
    expect(done).toBe(true);
    const chunks = events.map((e): Json => JSON.parse(e));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === whole.id)).toBe(
      true,
    );
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0].message.content);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('length');
  });

  it('answers concurrent requests (inference on worker threads)', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => post(chat(`q${i}`))));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
  });

  it('honours temperature 0, top_p and n deterministically; refuses other temperatures like OpenAI', async () => {
    const base = await json(await post(chat('knobs', { max_tokens: 4, seed: 3 })));
    const text = base.choices[0].message.content;
    // Greedy decoding is temperature 0; the argmax token is inside every nucleus.
    for (const extra of [{ temperature: 0 }, { top_p: 0.1 }, { temperature: 0, top_p: 1 }]) {
      const r = await json(await post(chat('knobs', { max_tokens: 4, seed: 3, ...extra })));
      expect(r.choices[0].message.content, JSON.stringify(extra)).toBe(text);
    }
    const three = await json(await post(chat('knobs', { max_tokens: 4, seed: 3, n: 3 })));
    expect(three.choices.map((c: Json) => [c.index, c.message.content])).toEqual([
      [0, text],
      [1, text],
      [2, text],
    ]);
    expect(three.usage).toEqual({ prompt_tokens: 8, completion_tokens: 12, total_tokens: 20 });
    const res = await post(chat('knobs', { max_tokens: 4, seed: 3, n: 2, stream: true }));
    const chunks = (await readSse(res.body!)).events.map((e): Json => JSON.parse(e));
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0].index === index);
      expect(mine.map((c) => c.choices[0].delta.content ?? '').join('')).toBe(text);
      expect(mine.at(-1).choices[0].finish_reason).toBe('length');
    }
    const hot = await post(chat('knobs', { temperature: 0.7 }));
    expect(hot.status).toBe(400);
    expect((await json(hot)).error).toEqual({
      message:
        "Unsupported value: 'temperature' does not support 0.7 with this model. Only 0 (greedy decoding) is supported.",
      type: 'invalid_request_error',
      param: 'temperature',
      code: 'unsupported_value',
    });
  });

  it('rejects bad input with OpenAI-style errors naming the field', async () => {
    const cases: Array<[unknown, number, string | null]> = [
      [chat('x', { max_tokens: 17 }), 400, 'max_tokens'],
      [chat('x', { max_tokens: 0 }), 400, 'max_tokens'],
      [{ model: 'tinylm-s', messages: [] }, 400, 'messages'],
      [
        {
          model: 'tinylm-s',
          messages: [{ role: 'user', content: 'a' }].concat(
            Array(4).fill({ role: 'user', content: 'b' }),
          ),
        },
        400,
        'messages',
      ],
      [{ model: 'tinylm-s', messages: [{ role: 'robot', content: 'a' }] }, 400, 'messages[0].role'],
      [chat('x', { stream: 'yes' }), 400, 'stream'],
      [chat('x', { temperature: 1 }), 400, 'temperature'],
      [chat('x', { temperature: 3 }), 400, 'temperature'],
      [chat('x', { temperature: 'hot' }), 400, 'temperature'],
      [chat('x', { top_p: 1.5 }), 400, 'top_p'],
      [chat('x', { n: 0 }), 400, 'n'],
      [chat('x', { n: 129 }), 400, 'n'],
      [chat('x', { n: 1.5 }), 400, 'n'],
      [chat('x', { model: 'gpt-9' }), 404, 'model'],
      ['{not json', 400, null],
      [chat('x'.repeat(5000)), 413, null],
    ];
    for (const [body, status, param] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      const error = (await json(res)).error;
      expect(error.param).toBe(param);
      expect(typeof error.message).toBe('string');
    }
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
