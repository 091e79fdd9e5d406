import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody as readBody, sendJson } from '../../sim/io/httpJson.ts';
import { ApiError } from './chatRequest.ts';

/** Reads a JSON body of at most `bytesMax` bytes; ApiError 413 when larger, 400 when not JSON. */
export const readJsonBody = (req: IncomingMessage, bytesMax: number): Promise<unknown> =>
  readBody(req, bytesMax, (r) =>
    r.kind === 'notJson'
      ? new ApiError(400, 'request body: not valid JSON', 'invalid_request_error', null)
      : new ApiError(
          413,
          `request body: at most ${r.bytesMax} bytes${r.declaredBytes === undefined ? '' : `, got ${r.declaredBytes}`}`,
          'invalid_request_error',
          null,
        ),
  );

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
