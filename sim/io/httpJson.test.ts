import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBodyRefusal, readJsonBody, sendJson } from './httpJson.ts';

class Refused extends Error {
  constructor(readonly refusal: JsonBodyRefusal) {
    super(refusal.kind);
  }
}

const server = createServer((req, res) => {
  readJsonBody(req, 16, (r) => new Refused(r)).then(
    (body) => sendJson(res, 200, { body }),
    (e: Refused) => sendJson(res, e.refusal.kind === 'notJson' ? 400 : 413, e.refusal),
  );
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

/** POSTs `chunks` (chunked, no Content-Length) or `body` (with one, possibly a false one). */
function post(p: { body?: string; chunks?: string[]; contentLength?: number }) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const headers: Record<string, number> = {};
    if (p.body !== undefined)
      headers['content-length'] = p.contentLength ?? Buffer.byteLength(p.body);
    const req = request({ port, host: '127.0.0.1', method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, json: text === '' ? undefined : JSON.parse(text) }),
      );
    });
    req.on('error', reject);
    if (p.body !== undefined) req.end(p.body);
    else {
      for (const c of p.chunks ?? []) req.write(c);
      req.end();
    }
  });
}

describe('readJsonBody', () => {
  it('parses a body within the limit', async () => {
    expect(await post({ body: '{"a":[1,2]}' })).toEqual({
      status: 200,
      json: { body: { a: [1, 2] } },
    });
  });

  it('refuses a declared Content-Length over the limit before reading, naming it', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(40) });
    expect(await post({ body })).toEqual({
      status: 413,
      json: { kind: 'tooLarge', bytesMax: 16, declaredBytes: Buffer.byteLength(body) },
    });
  });

  it('refuses a body that grows past the limit as it is read', async () => {
    expect(await post({ chunks: ['{"text":"', 'x'.repeat(20), '"}'] })).toEqual({
      status: 413,
      json: { kind: 'tooLarge', bytesMax: 16 },
    });
  });

  it('refuses a body that is not JSON', async () => {
    expect(await post({ body: '{nope' })).toEqual({ status: 400, json: { kind: 'notJson' } });
  });
});
