import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './chatRequest.ts';

/** Reads a JSON body of at most `bytesMax` bytes; ApiError 413 when larger, 400 when not JSON. */
export async function readJsonBody(req: IncomingMessage, bytesMax: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > bytesMax) {
    req.resume();
    throw new ApiError(
      413,
      `request body: at most ${bytesMax} bytes, got ${declared}`,
      'invalid_request_error',
      null,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > bytesMax) {
      req.resume();
      throw new ApiError(
        413,
        `request body: at most ${bytesMax} bytes`,
        'invalid_request_error',
        null,
      );
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ApiError(400, 'request body: not valid JSON', 'invalid_request_error', null);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** ApiError → its status and OpenAI error body; anything else → 500 (message only). */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof ApiError) sendJson(res, error.status, error.body());
  else
    sendJson(res, 500, {
      error: {
        message: error instanceof Error ? error.message : String(error),
        type: 'server_error',
        param: null,
      },
    });
}
