import type { IncomingMessage, ServerResponse } from 'node:http';

/** Why a request body was refused: larger than allowed (by its Content-Length or as read), or not JSON. */
export type JsonBodyRefusal =
  | { kind: 'tooLarge'; bytesMax: number; declaredBytes?: number }
  | { kind: 'notJson' };

/**
 * Reads a JSON request body of at most `bytesMax` bytes, for the gateway and the model server:
 * a Content-Length over the limit is refused before reading, a body that grows past it as soon as
 * it does (the rest is drained, so the reply still reaches the client). `refuse` turns the reason
 * into the server's own error (its status, code and message).
 */
export async function readJsonBody(
  req: IncomingMessage,
  bytesMax: number,
  refuse: (r: JsonBodyRefusal) => Error,
): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > bytesMax) {
    req.resume();
    throw refuse({ kind: 'tooLarge', bytesMax, declaredBytes: declared });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > bytesMax) {
      req.resume();
      throw refuse({ kind: 'tooLarge', bytesMax });
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw refuse({ kind: 'notJson' });
  }
}

/** Replies `status` with `body` as JSON (with its Content-Length), or with no body when none is given. */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}
