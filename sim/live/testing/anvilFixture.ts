import { afterAll, beforeAll } from 'vitest';
import { type LocalAnvil, startAnvil } from '../anvil.ts';
import { createRpc, type Rpc } from '../rpc.ts';

export interface AnvilFixture {
  rpc(): Rpc;
  url(): string;
  /** Runs `fn` on the chain as it is now and reverts everything it did afterwards. */
  isolated<T>(fn: (rpc: Rpc) => Promise<T>): Promise<T>;
}

/** One Anvil per test file: started before its tests, stopped after; runs revert a snapshot. */
export function useAnvil(): AnvilFixture {
  let anvil: LocalAnvil | undefined;
  let rpc: Rpc | undefined;
  beforeAll(async () => {
    anvil = await startAnvil();
    rpc = createRpc(anvil.url);
  });
  afterAll(async () => {
    rpc?.close();
    await anvil?.stop();
  });
  return {
    rpc: () => rpc!,
    url: () => anvil!.url,
    async isolated(fn) {
      const id = await rpc!.call<string>('evm_snapshot');
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(rpc!);
      } finally {
        await rpc!.call<boolean>('evm_revert', [id]);
      }
      return result;
    },
  };
}
