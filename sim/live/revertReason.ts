import { type Abi, decodeErrorResult, type Hex } from 'viem';
import type { Rpc } from './rpc.ts';

/** The custom error name of a revert (a rejection code when the contracts are right). */
export function revertName(abi: Abi, data: Hex | undefined): string {
  if (!data || data === '0x') return 'revert without data (out of gas?)';
  try {
    const { errorName, args } = decodeErrorResult({ abi, data });
    if (errorName === 'Panic' || errorName === 'Error') return `${errorName}(${String(args?.[0])})`;
    return errorName;
  } catch {
    return `unknown revert ${data.slice(0, 10)}`;
  }
}

interface CallTrace {
  output?: Hex;
  error?: string;
}

/** Revert data of mined transactions: Anvil's receipts omit it, its call tracer has it. */
export async function revertData(rpc: Rpc, hashes: Hex[]): Promise<Array<Hex | undefined>> {
  const traces = (await rpc.batch(
    hashes.map((h) => ({
      method: 'debug_traceTransaction',
      params: [h, { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } }],
    })),
  )) as CallTrace[];
  return traces.map((t) => t.output);
}
