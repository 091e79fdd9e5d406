import type { ChainBreakKind } from '../../protocol/index.ts';

/** Why a receipt failed verification. Chain kinds come from findChainBreak. */
export type VerifyFailureKind =
  | 'model-hash'
  | 'request-digest'
  | 'output-digest'
  | 'result-digest'
  | 'receipt-id'
  | 'signature'
  | 'batch-proof'
  | 'batch-signature'
  | 'worker'
  | 'units'
  | ChainBreakKind
  | 're-execution';

export type VerifyFailure = {
  /** 0-based position in the file (line order, blank lines skipped). */
  index: number;
  kind: VerifyFailureKind;
  /** Which encoding failed: 'eip712', 'one', or 'both'/'line' when it is not about one of them. */
  encoding: 'eip712' | 'one' | 'line';
  reason: string;
};

/** The earliest failure; ties at one index keep the order checks ran in. */
export function firstFailure(failures: readonly VerifyFailure[]): VerifyFailure | null {
  let best: VerifyFailure | null = null;
  for (const f of failures) if (best === null || f.index < best.index) best = f;
  return best;
}
