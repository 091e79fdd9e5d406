import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { modelCacheDir } from '../../gpu-harness/models/modelCache.ts';
import type { ModelSpec } from '../../gpu-harness/models/modelSpec.ts';
import { getModel, listModels, modelNames } from '../../gpu-harness/models/registry.ts';
import { copyFileAtomic, writeFileAtomic } from '../../sim/io/writeFileAtomic.ts';
import { UsageError } from '../errors.ts';

/** What `models list` says about one zoo model (nothing is built to say it). */
function row(spec: ModelSpec) {
  const inputs = spec.inputs ?? [spec.input];
  return {
    name: spec.name,
    description: spec.description,
    inputs: inputs.map((i) => ({ name: i.name, element: i.element, dims: i.dims })),
    output: { name: spec.output.name, element: spec.output.element, dims: spec.output.dims },
    parameterCount: spec.parameterCount,
    flopsPerQuery: spec.flopsPerQuery,
    cost: spec.cost,
    latencyBoundMs: spec.latencyBoundMs ?? null,
    textGen: spec.textGen ?? null,
    /** Pinned sha256 of the bytes (large models; the small ones are hashed when built). */
    pinnedId: spec.pinnedId ?? null,
  };
}

function list(flags: { json?: boolean }): void {
  const rows = listModels().map(row);
  for (const r of rows) {
    const shapes = r.inputs.map((i) => `${i.name} ${i.element}[${i.dims.join(',')}]`).join(', ');
    process.stdout.write(
      `${r.name.padEnd(11)} ${(r.flopsPerQuery / 1e9).toFixed(3).padStart(9)} GFLOP/query ${(r.parameterCount / 1e6).toFixed(2).padStart(7)} M weights  ${r.cost.cu} CU/${r.cost.per}  ${shapes} → ${r.output.name}[${r.output.dims.join(',')}]\n    ${r.description}\n`,
    );
  }
  process.stdout.write(`large models are built once and cached by sha256 in ${modelCacheDir()}\n`);
  if (flags.json)
    process.stdout.write(`${JSON.stringify({ cacheDir: modelCacheDir(), models: rows })}\n`);
}

function exportModel(name: string, flags: { out?: string; json?: boolean }): void {
  if (!modelNames().includes(name))
    throw new UsageError(
      `NAME: expected one of ${modelNames().join('|')}, got ${JSON.stringify(name)}`,
      'name',
    );
  if (!flags.out) throw new UsageError('--out: expected the .onnx file to write', 'out');
  const model = getModel(name);
  if (model.path) copyFileAtomic(model.path, flags.out, { mkdir: true });
  else writeFileAtomic(flags.out, model.bytes!, { mkdir: true });
  const inputs = model.inputs.map((i) => `--shape ${i.name}=${i.dims.join('x')}`).join(' ');
  process.stdout.write(
    `wrote ${flags.out}: ${name}, sha256 ${model.id}\nbenchmark it as your own file: onesim bench inference --model ${flags.out}${model.textGen ? '' : ` ${inputs}`} --scenario single-stream\n`,
  );
  if (model.textGen)
    process.stdout.write(
      'note: as a file it runs as one forward pass per query (no token-by-token generation)\n',
    );
  if (flags.json) {
    const sha256 = model.path ? model.id : createHash('sha256').update(model.bytes!).digest('hex');
    process.stdout.write(`${JSON.stringify({ name, out: flags.out, sha256 })}\n`);
  }
}

/** `onesim models list` and `onesim models export NAME --out file.onnx`. */
export function registerModels(program: Command): void {
  const models = program.command('models').description('The model zoo: list it, export a model');
  models
    .command('list')
    .description('Every zoo model: inputs, output, weights, FLOPs and CU per query')
    .option('--json', 'print the list as one JSON object on the last stdout line')
    .action(list);
  models
    .command('export')
    .description('Write a zoo model as an ONNX file (builds it, or copies it from the cache)')
    .argument('<name>', modelNames().join('|'))
    .option('--out <file>', 'the .onnx file to write')
    .option('--json', 'print {name, out, sha256} as one JSON object on the last stdout line')
    .action(exportModel);
}
