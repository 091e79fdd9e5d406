import { makeSample } from './models/sampleInputs.ts';
import { createRuntime } from './runtime/createRuntime.ts';

for (const [name, ep] of [
  ['mlp-s', 'cpu'],
  ['tinylm-s', 'cuda'],
  ['cnn-s', 'webgpu'],
] as const) {
  const rt = await createRuntime({ modelName: name, provider: ep });
  const s = makeSample({ model: rt.model, seed: 1, index: 0 });
  const r = await rt.infer({ sample: s });
  console.log(
    JSON.stringify(rt.info.fallbackReason),
    rt.info.provider,
    r.output.values.slice(0, 5),
    r.outputDigest.slice(0, 10),
    r.timings,
  );
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await rt.infer({ sample: s });
  console.log('mean ms', (performance.now() - t0) / 200);
  await rt.close();
}
