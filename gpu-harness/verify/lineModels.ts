import type { LoadedModel } from '../models/loadedModel.ts';
import { getModel, modelNames } from '../models/registry.ts';
import type { ReceiptLine } from '../receipts/receiptLine.ts';

/** The model a line names: a zoo model by name, or an operator's file by path and id. */
export function lineModelKey(line: ReceiptLine): string {
  const file = line.model.file;
  return file ? `file\u0000${file.path}\u0000${line.model.id}` : `zoo\u0000${line.model.name}`;
}

/** Each distinct model of a file, opened once; or why it could not be. */
export type LineModels = Map<string, LoadedModel | { problem: string }>;

export type ResolveLineModelsParameters = {
  lines: readonly ReceiptLine[];
  /** Use this file for every line that names an operator's model (it moved since the run). */
  modelFile?: string;
};

/**
 * Opens every model the lines name. Zoo models come from the zoo (built or read from the cache);
 * an operator's file is reopened as it ran (its shapes, output, inputs file and CU from the
 * line), so the verifier re-derives inputs and re-executes exactly what the worker did.
 */
export async function resolveLineModels(p: ResolveLineModelsParameters): Promise<LineModels> {
  const out: LineModels = new Map();
  for (const line of p.lines) {
    const key = lineModelKey(line);
    if (out.has(key)) continue;
    const file = line.model.file;
    if (!file) {
      out.set(
        key,
        modelNames().includes(line.model.name)
          ? getModel(line.model.name)
          : { problem: `model ${JSON.stringify(line.model.name)} is not in the zoo` },
      );
      continue;
    }
    try {
      // Loaded lazily: onnxruntime is needed only when a line names a file.
      const { loadModelFile } = await import('../models/loadModelFile.ts');
      const { model } = await loadModelFile({
        path: p.modelFile ?? file.path,
        shapes: new Map(Object.entries(file.shapes)),
        output: file.output,
        cu: file.cu,
        inputsFile: file.inputsFile?.path ?? null,
      });
      out.set(key, model);
    } catch (error) {
      out.set(key, {
        problem: `model file ${p.modelFile ?? file.path} cannot be reopened: ${(error as Error).message}`,
      });
    }
  }
  return out;
}
