import type { SealedAuditPolicy } from '../../protocol/params.ts';
import {
  type DeterrenceParameters,
  type DeterrenceResult,
  measureDeterrence,
} from './deterrence.ts';

export interface SealedSweepParameters {
  shares: number[];
  policies: SealedAuditPolicy[];
  /** o: under 'opt-in', the share of sealed jobs re-encrypted to the committee. */
  auditOptInShare: number;
  /** f: under 'tee', the chance an attestation of a wrong result passes. */
  teeFailureRate: number;
}

export interface SealedDeterrenceRow {
  share: number;
  /** 'none' for share 0: nothing is sealed, so every policy is the same network. */
  policy: SealedAuditPolicy | 'none';
  result: DeterrenceResult;
  /** Measured and formula agree within 10 %, or both say no rate deters (a = 0, no crossing). */
  agrees: boolean;
}

/**
 * The Proof-of-Sampling boundary as the share of sealed jobs grows, per audit policy: each cell
 * is a full `measureDeterrence` sweep over the sampling rates, its measured boundary beside
 * C / ((1 − r) · a · (R + S)) (a: `auditableShare`). Share 0 runs once (no policy applies).
 */
export async function measureSealedDeterrence(
  base: Omit<DeterrenceParameters, 'sealed'>,
  sweep: SealedSweepParameters,
  onCell?: (row: SealedDeterrenceRow) => void,
): Promise<SealedDeterrenceRow[]> {
  const rows: SealedDeterrenceRow[] = [];
  for (const share of sweep.shares)
    for (const policy of share === 0 ? (['none'] as const) : sweep.policies) {
      const result = await measureDeterrence(
        policy === 'none'
          ? base
          : {
              ...base,
              sealed: {
                share,
                policy,
                auditOptInShare: sweep.auditOptInShare,
                teeFailureRate: sweep.teeFailureRate,
              },
            },
      );
      const agrees =
        result.relativeDifference === null
          ? result.auditableShare === 0 && result.measuredBoundary === null
          : result.relativeDifference <= 0.1;
      const row = { share, policy, result, agrees };
      rows.push(row);
      onCell?.(row);
    }
  return rows;
}
