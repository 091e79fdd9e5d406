import { bertSpec } from './bert.ts';
import { gpt2Spec } from './gpt2.ts';
import type { ModelSpec } from './modelSpec.ts';
import { resNetSpec } from './resnet.ts';

/**
 * The realistic zoo's builders at toy sizes (milliseconds per query): tests run these through
 * everything the full-size models go through — planning, every scenario, receipts, FLOP counts.
 */
export function reducedZoo(): ModelSpec[] {
  return [
    resNetSpec(
      'resnet-tiny',
      { side: 32, stemWidth: 8, widths: [8, 8, 16, 16], blocks: [1, 1, 2, 1], classes: 10 },
      { latencyBoundMs: 50 },
    ),
    bertSpec(
      'bert-tiny',
      { vocabSize: 64, width: 32, layers: 2, heads: 4, ffnWidth: 64, positionsMax: 16, seq: 16 },
      { latencyBoundMs: 50 },
    ),
    gpt2Spec(
      'gpt2-tiny',
      {
        vocabSize: 64,
        width: 32,
        layers: 2,
        heads: 4,
        contextMax: 32,
        promptTokens: 8,
        newTokensMax: 6,
      },
      { latencyBoundMs: 50 },
    ),
  ];
}
