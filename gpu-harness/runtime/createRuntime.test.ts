import { afterAll, describe, expect, it } from 'vitest';
import { getModel } from '../models/registry.ts';
import { makeSample } from '../models/sampleInputs.ts';
import { createRuntime, type Runtime } from './createRuntime.ts';

// Output digests of sample 0 (seed 1) under each model's tolerance; inputs are pinned too.
const pinned = {
  'mlp-s': {
    input: '464aa61e3dac11f82f11ddfc9e982ce9f0678d2d79ac3de374f2d936c6e9033e',
    output: '9cfd6836a7b102d7093c628f91864126dd340d98af5227649769201dc5b58241',
  },
  'cnn-s': {
    input: '1ec60888b3912ed0b80cad90ad372f3865df8f1d15acd952f69e96953b6366eb',
    output: '6172289c6c4413b88188948b2d6b6ebcbb53f6fdf2b030853179094e413e2848',
  },
  'tinylm-s': {
    input: 'c0e6ae6ce6b9f3ab510513f90aed43742a80e1db7807d2801b96765f6788adc4',
    output: 'cc8933e5de606c0ccbc9121d51e441adb7e085f24892383e9d4450390bdae30e',
  },
} as const;

const open: Runtime[] = [];
afterAll(async () => {
  await Promise.all(open.map((r) => r.close()));
});

describe('runtime', () => {
  for (const name of Object.keys(pinned) as (keyof typeof pinned)[]) {
    it(`${name}: loads in a worker and gives the pinned output for a fixed input`, async () => {
      const runtime = await createRuntime({ modelName: name, warmupIterations: 1 });
      open.push(runtime);
      const sample = makeSample({ model: getModel(name), seed: 1, index: 0 });
      const first = await runtime.infer({ sample });
      const again = await runtime.infer({ sample });
      expect(first.inputDigest).toBe(pinned[name].input);
      expect(first.outputDigest).toBe(pinned[name].output);
      expect(again.output).toEqual(first.output);
      expect(first.model).toBe(getModel(name).id);
      expect(first.provider).toBe('cpu');
      expect(first.timings.latencyMs).toBeGreaterThan(0);
    });
  }

  it('tinylm-s generates the same tokens every time, with TTFT and TPOT', async () => {
    const runtime = await createRuntime({ modelName: 'tinylm-s', warmupIterations: 0 });
    open.push(runtime);
    const sample = makeSample({ model: runtime.model, seed: 1, index: 0 });
    const r = await runtime.infer({ sample });
    expect(r.output.values.slice(0, 3)).toEqual([130, 8, 110]);
    expect(r.output.values).toHaveLength(16);
    expect(r.units).toEqual({ cu: 16 * runtime.model.cost.cu, generatedTokens: 16 });
    expect(r.timings.firstTokenMs).toBeGreaterThan(0);
    expect(r.timings.timePerOutputTokenMs).toBeGreaterThan(0);
    expect((await runtime.infer({ sample })).output.values).toEqual(r.output.values);
  });

  it('falls back to cpu when cuda is requested, and says why', async () => {
    const runtime = await createRuntime({
      modelName: 'mlp-s',
      provider: 'cuda',
      warmupIterations: 0,
    });
    open.push(runtime);
    expect(runtime.info.requestedProvider).toBe('cuda');
    expect(runtime.info.provider).toBe('cpu');
    expect(runtime.info.fallbackReason).toMatch(/cuda unavailable/);
    expect(runtime.info.ortVersion).toBe('1.30.0');
    expect(runtime.info.machine.logicalCores).toBeGreaterThan(0);
  });

  it('inline mode (session on this thread) gives the same outputs and queues concurrent queries', async () => {
    const runtime = await createRuntime({ modelName: 'cnn-s', warmupIterations: 0, inline: true });
    open.push(runtime);
    const samples = [0, 1, 2].map((index) => makeSample({ model: runtime.model, seed: 1, index }));
    const results = await Promise.all(samples.map((sample) => runtime.infer({ sample })));
    expect(results[0]!.outputDigest).toBe(pinned['cnn-s'].output);
    expect(new Set(results.map((r) => r.outputDigest)).size).toBe(3);
  });

  it('two worker threads answer concurrent queries in parallel, each with its own output', async () => {
    const runtime = await createRuntime({ modelName: 'mlp-s', warmupIterations: 0, workers: 2 });
    open.push(runtime);
    const samples = Array.from({ length: 20 }, (_, index) =>
      makeSample({ model: runtime.model, seed: 1, index }),
    );
    const results = await Promise.all(samples.map((sample) => runtime.infer({ sample })));
    expect(results[0]!.outputDigest).toBe(pinned['mlp-s'].output);
    expect(results.map((r) => r.sampleIndex)).toEqual(samples.map((s) => s.index));
    expect(new Set(results.map((r) => r.outputDigest)).size).toBe(20);
  });

  it('a worker holding several queries answers each with its own output, in order, like inline', async () => {
    const piped = await createRuntime({
      modelName: 'tinylm-s',
      warmupIterations: 0,
      inFlightPerWorker: 3,
    });
    const inline = await createRuntime({
      modelName: 'tinylm-s',
      warmupIterations: 0,
      inline: true,
    });
    open.push(piped, inline);
    const samples = Array.from({ length: 7 }, (_, index) =>
      makeSample({ model: piped.model, seed: 2, index }),
    );
    const finished: number[] = [];
    const results = await Promise.all(
      samples.map((sample) =>
        piped.infer({ sample }).then((r) => {
          finished.push(r.sampleIndex);
          return r;
        }),
      ),
    );
    expect(finished).toEqual(samples.map((s) => s.index));
    for (const [i, r] of results.entries()) {
      const reference = await inline.infer({ sample: samples[i]! });
      expect(r.output.values).toEqual(reference.output.values);
      expect(r.outputDigest).toBe(reference.outputDigest);
    }
  });

  it('rejects bad options naming the field', async () => {
    await expect(createRuntime({ modelName: 'mlp-s', inFlightPerWorker: 0 })).rejects.toThrow(
      /inFlightPerWorker: expected an integer in 1\.\.64, got 0/,
    );
    await expect(createRuntime({ modelName: 'mlp-s', workers: 0 })).rejects.toThrow(
      /workers: expected an integer in 1\.\.64, got 0/,
    );
    await expect(createRuntime({ modelName: 'mlp-s', workers: 2, inline: true })).rejects.toThrow(
      'workers: expected 1 with inline, got 2',
    );
  });
});
