import { describe, expect, it } from 'vitest';
import { bertSpec } from './bert.ts';
import { gpt2Spec } from './gpt2.ts';
import { modelIdHex } from './modelId.ts';
import { getModel, listModels, UnknownModelError } from './registry.ts';
import { resNetSpec } from './resnet.ts';

// Pinned content addresses: a change here changes every receipt's `model` field, so it must
// be deliberate (new weights or graph ⇒ new model name or an intentional re-pin).
const pinnedIds: Record<string, string> = {
  'mlp-s': '425946c1219a2a728e3715fd3b6d5e27b49026a6e2d97f1f89233a92b8847b5d',
  'cnn-s': '09c7714011b3e8d11218a5d0ea7e9674ed0fe564f87d3bc6f51e78cefecb8e94',
  'tinylm-s': 'd66831abd84807cb1c2458cbacf688424846d4091741b26db1cfe61daad49a4a',
};

/**
 * The realistic zoo against the published sizes of the architectures it copies (torchvision's
 * resnet50 less its batch-norm scales, which fold into conv biases; Hugging Face's
 * bert-base-uncased and gpt2): weights to within the few hundred constants a graph adds, and
 * multiply-accumulates as the papers count them (4.09 G for ResNet-50, 11.2 G for BERT-base at
 * 128 tokens).
 */
const published: Record<string, { weights: number; macs?: number }> = {
  resnet50: { weights: 25_557_032 - 26_560, macs: 4.089e9 },
  'bert-base': { weights: 109_482_240, macs: 11.17e9 },
  'gpt2-small': { weights: 124_439_808 },
};

describe('model zoo', () => {
  it('lists the zoo in a fixed order', () => {
    expect(listModels().map((m) => m.name)).toEqual([
      'mlp-s',
      'cnn-s',
      'tinylm-s',
      'resnet50',
      'bert-base',
      'gpt2-small',
    ]);
  });

  for (const spec of listModels().filter((s) => !s.pinnedId)) {
    it(`${spec.name}: bytes are identical across builds and the sha256 is pinned`, () => {
      const a = spec.build();
      const b = spec.build();
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(modelIdHex(a)).toBe(pinnedIds[spec.name]);
      const model = getModel(spec.name);
      expect(model.id).toBe(pinnedIds[spec.name]);
      expect(model.idBytes32).toBe(`0x${pinnedIds[spec.name]}`);
      expect(Number.isInteger(model.cost.cu) && model.cost.cu > 0).toBe(true);
      expect(model.flopsPerQuery).toBeGreaterThan(0);
    });
  }

  for (const spec of listModels().filter((s) => s.pinnedId)) {
    it(`${spec.name}: the size of the architecture it copies, a pinned sha256, a CU price`, () => {
      const p = published[spec.name]!;
      expect(Math.abs(spec.parameterCount - p.weights)).toBeLessThan(500);
      if (p.macs) expect(spec.multiplyAccumulatesPerRun / p.macs).toBeCloseTo(1, 2);
      expect(spec.pinnedId).toMatch(/^[0-9a-f]{64}$/);
      expect(spec.cost.cu).toBeGreaterThan(1000);
    });
  }

  it('reduced variants of the realistic builders are deterministic and differ by shape', () => {
    const variants = [
      resNetSpec(
        'r',
        { side: 32, stemWidth: 8, widths: [8, 8, 16, 16], blocks: [1, 1, 1, 1], classes: 10 },
        { latencyBoundMs: 10 },
      ),
      bertSpec(
        'b',
        { vocabSize: 50, width: 16, layers: 1, heads: 2, ffnWidth: 32, positionsMax: 8, seq: 8 },
        { latencyBoundMs: 10 },
      ),
      gpt2Spec(
        'g',
        {
          vocabSize: 50,
          width: 16,
          layers: 1,
          heads: 2,
          contextMax: 16,
          promptTokens: 4,
          newTokensMax: 3,
        },
        { latencyBoundMs: 10 },
      ),
    ];
    const ids = variants.map((v) => modelIdHex(v.build()));
    expect(variants.map((v) => modelIdHex(v.build()))).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });

  it('names the field and value of an unknown model', () => {
    expect(() => getModel('gpt-9')).toThrow(UnknownModelError);
    expect(() => getModel('gpt-9')).toThrow(/model: unknown model "gpt-9"/);
  });
});
