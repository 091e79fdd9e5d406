import { describe, expect, it } from 'vitest';
import { modelIdHex } from './modelId.ts';
import { getModel, listModels, UnknownModelError } from './registry.ts';

// Pinned content addresses: a change here changes every receipt's `model` field, so it must
// be deliberate (new weights or graph ⇒ new model name or an intentional re-pin).
const pinnedIds: Record<string, string> = {
  'mlp-s': '425946c1219a2a728e3715fd3b6d5e27b49026a6e2d97f1f89233a92b8847b5d',
  'cnn-s': '09c7714011b3e8d11218a5d0ea7e9674ed0fe564f87d3bc6f51e78cefecb8e94',
  'tinylm-s': 'd66831abd84807cb1c2458cbacf688424846d4091741b26db1cfe61daad49a4a',
};

describe('model zoo', () => {
  it('lists the zoo in a fixed order', () => {
    expect(listModels().map((m) => m.name)).toEqual(['mlp-s', 'cnn-s', 'tinylm-s']);
  });

  for (const spec of listModels()) {
    it(`${spec.name}: bytes are identical across builds and the sha256 is pinned`, () => {
      const a = spec.build();
      const b = spec.build();
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(modelIdHex(a)).toBe(pinnedIds[spec.name]);
      const model = getModel(spec.name);
      expect(model.id).toBe(pinnedIds[spec.name]);
      expect(model.idBytes32).toBe(`0x${pinnedIds[spec.name]}`);
      expect(Number.isInteger(model.cost.cu) && model.cost.cu > 0).toBe(true);
    });
  }

  it('names the field and value of an unknown model', () => {
    expect(() => getModel('gpt-9')).toThrow(UnknownModelError);
    expect(() => getModel('gpt-9')).toThrow(/model: unknown model "gpt-9"/);
  });
});
