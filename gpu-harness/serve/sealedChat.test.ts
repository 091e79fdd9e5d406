import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSealingKeyPair, open, type SealedBox, seal } from '../../sim/io/sealing.ts';
import { createModelServer, type ModelServer } from './createModelServer.ts';

const runtimeKeys = generateSealingKeyPair();
const requester = generateSealingKeyPair();
let server: ModelServer;
let plain: ModelServer;
let url: string;
let plainUrl: string;
const chat = { model: 'tinylm-s', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 };

beforeAll(async () => {
  server = await createModelServer({
    modelName: 'tinylm-s',
    warmupIterations: 0,
    sealingKey: runtimeKeys,
  });
  url = await server.listen(0);
  plain = await createModelServer({ modelName: 'tinylm-s', warmupIterations: 0 });
  plainUrl = await plain.listen(0);
});
afterAll(async () => {
  await server?.close();
  await plain?.close();
});

const post = (base: string, body: unknown) =>
  fetch(`${base}/sealed/chat/completions`, { method: 'POST', body: JSON.stringify(body) });

describe('serve-model: sealed chat completions', () => {
  it('opens a box sealed to its key and answers the completion sealed to replyTo', async () => {
    const box = seal({
      plaintext: JSON.stringify(chat),
      recipientPublicKey: runtimeKeys.publicKey,
    });
    const res = await post(url, { box, replyTo: requester.publicKey });
    expect(res.status).toBe(200);
    const sealed = (await res.json()) as SealedBox;
    const answer = JSON.parse(open(sealed, requester.privateKey).toString('utf8'));
    expect(answer.object).toBe('chat.completion');
    expect(answer.choices).toHaveLength(1);
  });

  it('refuses a box sealed to another key (400 naming box), and has no such route without a key (404)', async () => {
    const other = generateSealingKeyPair();
    const box = seal({ plaintext: JSON.stringify(chat), recipientPublicKey: other.publicKey });
    const res = await post(url, { box, replyTo: requester.publicKey });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { param: 'box' } });
    expect((await post(plainUrl, { box, replyTo: requester.publicKey })).status).toBe(404);
  });
});
