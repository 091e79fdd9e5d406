import { createHash } from 'node:crypto';
import { makeSample } from '../models/sampleInputs.ts';
import type { ReceiptLine } from '../receipts/receiptLine.ts';
import { createRuntime, type Runtime } from '../runtime/createRuntime.ts';
import { type LineModels, lineModelKey } from './lineModels.ts';
import type { VerifyFailure } from './verifyFailure.ts';

/**
 * Proof-of-AI's sample (PROTOCOL.md §8): a receipt is re-executed when the first 32 bits of
 * sha256(`<seed>|<receipt digest>`) fall below rate × 2^32, so anyone with the seed picks the
 * same receipts and a worker cannot tell in advance which ones. (The protocol's own audit sample,
 * chosen on chain from an epoch's randomness, is `isSampled` in protocol/verification/audit.ts.)
 */
export function inReexecutionSample(p: { seed: number; digest: string; rate: number }): boolean {
  if (p.rate >= 1) return true;
  if (p.rate <= 0) return false;
  const word = createHash('sha256').update(`${p.seed}|${p.digest}`).digest().readUInt32BE(0);
  return word < p.rate * 2 ** 32;
}

export type ReexecuteSampleParameters = {
  lines: readonly ReceiptLine[];
  rate: number;
  seed: number;
  /** The models the lines name (resolveLineModels); lines whose model did not open are skipped. */
  models: LineModels;
  signal?: AbortSignal;
};

export type ReexecuteSampleReturnType = { sampled: number[]; failure: VerifyFailure | null };

/**
 * Re-runs the sampled inferences on this machine with the zoo's model bytes (same input,
 * regenerated from seed and sample index) and compares output digests: exact for token ids,
 * the tolerance-quantised digest for float outputs. Stops at the first mismatch.
 */
export async function reexecuteSample(
  p: ReexecuteSampleParameters,
): Promise<ReexecuteSampleReturnType> {
  const sampled: number[] = [];
  for (let i = 0; i < p.lines.length; i++) {
    if (inReexecutionSample({ seed: p.seed, digest: p.lines[i]!.eip712.digest, rate: p.rate }))
      sampled.push(i);
  }
  const runtimes = new Map<string, Runtime>();
  try {
    for (const i of sampled) {
      if (p.signal?.aborted) break;
      const line = p.lines[i]!;
      const key = lineModelKey(line);
      const model = p.models.get(key);
      if (!model || 'problem' in model) continue;
      let runtime = runtimes.get(key);
      if (!runtime) {
        runtime = await createRuntime({
          modelName: model.name,
          model,
          warmupIterations: 0,
          inline: true,
        });
        runtimes.set(key, runtime);
      }
      const sample = makeSample({
        model: runtime.model,
        seed: line.input.seed,
        index: line.input.sampleIndex,
      });
      const again = await runtime.infer({ sample });
      if (again.outputDigest !== line.output.digest) {
        const reason = `re-executed output digest ${again.outputDigest} ≠ receipt's ${line.output.digest} (first values: ran [${again.output.values.slice(0, 3).join(', ')}], receipt [${line.output.values.slice(0, 3).join(', ')}])`;
        return { sampled, failure: { index: i, kind: 're-execution', encoding: 'line', reason } };
      }
    }
    return { sampled, failure: null };
  } finally {
    await Promise.all([...runtimes.values()].map((r) => r.close()));
  }
}
