import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ModelFileError } from './modelFile.ts';
import type { TensorSpec } from './modelSpec.ts';
import { allocTensor, elementCount, type TensorData } from './tensorData.ts';

/**
 * Inputs an operator supplies instead of generated ones: a JSON object mapping each input name
 * to its values (flat or nested arrays, row-major, in the bound shape), or an array of such
 * objects — several samples, used round-robin.
 */
export type InputsFile = { path: string; sha256: string; samples: TensorData[][] };

const cache = new Map<string, InputsFile>();

function flatten(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else out.push(value);
}

function tensorOf(spec: TensorSpec, raw: unknown, where: string): TensorData {
  const values: unknown[] = [];
  flatten(raw, values);
  const count = elementCount(spec.dims);
  if (values.length !== count)
    throw new ModelFileError(
      'inputs',
      `--inputs: ${where}.${spec.name} has ${values.length} values, the shape ${spec.dims.join('x')} needs ${count}`,
    );
  const data = allocTensor(spec.element, count);
  const integral = !(spec.element === 'float32' || spec.element === 'float64');
  for (const [i, v] of values.entries()) {
    if (typeof v !== 'number' || !Number.isFinite(v) || (integral && !Number.isInteger(v)))
      throw new ModelFileError(
        'inputs',
        `--inputs: ${where}.${spec.name}[${i}] is ${JSON.stringify(v)}, expected ${integral ? 'an integer' : 'a finite number'}`,
      );
    if (data instanceof BigInt64Array) data[i] = BigInt(v);
    else data[i] = v;
  }
  return data;
}

/** Reads and checks an inputs file against the model's bound inputs; throws ModelFileError. */
export function readInputsFile(path: string, specs: readonly TensorSpec[]): InputsFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ModelFileError(
      'inputs',
      `--inputs: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const key = `${path}\u0000${sha256}\u0000${JSON.stringify(specs)}`;
  const known = cache.get(key);
  if (known) return known;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ModelFileError(
      'inputs',
      `--inputs: ${path} is not JSON (${(error as Error).message})`,
    );
  }
  const list = Array.isArray(json) ? json : [json];
  if (list.length === 0) throw new ModelFileError('inputs', `--inputs: ${path} holds no sample`);
  const samples = list.map((sample, i) => {
    const where = Array.isArray(json) ? `[${i}]` : '(root)';
    if (typeof sample !== 'object' || sample === null || Array.isArray(sample))
      throw new ModelFileError('inputs', `--inputs: ${where} is not an object of input names`);
    const record = sample as Record<string, unknown>;
    for (const name of Object.keys(record))
      if (!specs.some((s) => s.name === name))
        throw new ModelFileError(
          'inputs',
          `--inputs: ${where} names no input of the model: ${JSON.stringify(name)}`,
        );
    return specs.map((spec) => {
      if (!(spec.name in record))
        throw new ModelFileError(
          'inputs',
          `--inputs: ${where} lacks input ${JSON.stringify(spec.name)}`,
        );
      return tensorOf(spec, record[spec.name], where);
    });
  });
  const file = { path, sha256, samples };
  cache.set(key, file);
  return file;
}
