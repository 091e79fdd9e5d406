import { createClient, http } from 'viem';

/** A JSON-RPC endpoint: requests made in the same tick travel in one HTTP batch. */
export interface Rpc {
  url: string;
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
}

export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly method: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(`${method}: ${message}`);
  }
}

export function createRpc(url: string): Rpc {
  const client = createClient({
    transport: http(url, { batch: { batchSize: 1_000, wait: 0 }, timeout: 120_000, retryCount: 0 }),
  });
  const request = client.request as unknown as (args: {
    method: string;
    params?: unknown[];
  }) => Promise<unknown>;
  return {
    url,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      try {
        return (await request({ method, params })) as T;
      } catch (cause) {
        const e = cause as { details?: string; shortMessage?: string; message?: string };
        throw new RpcError(
          method,
          e.details ?? e.shortMessage ?? e.message ?? String(cause),
          cause,
        );
      }
    },
  };
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True when the URL points at this machine (the only place the driver writes by default). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      (loopbackHosts.has(u.hostname) || /^127\./.test(u.hostname))
    );
  } catch {
    return false;
  }
}
