import type { Hex } from '../../protocol/index.ts';
import { modelId } from '../network/addresses.ts';

const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/** A model name the gateway can route by (letters, digits, `._:/-`, at most 128). */
export const isModelName = (name: unknown): name is string =>
  typeof name === 'string' && modelNamePattern.test(name);

/**
 * The models a gateway serves, fixed at genesis: name → protocol id (bytes32), sha256 of the
 * name, as the simulator names its models (the harness would use sha256 of the weights; the
 * gateway never sees them). Throws naming the first malformed name.
 */
export function servedModels(names: readonly string[]): Map<string, Hex> {
  const ids = new Map<string, Hex>();
  for (const name of names) {
    if (!isModelName(name))
      throw new Error(
        `model: expected a model name (letters, digits, ._:/-), got ${JSON.stringify(name)}`,
      );
    ids.set(name, modelId(name));
  }
  return ids;
}
