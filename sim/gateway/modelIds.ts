import type { Hex } from '../../protocol/index.ts';
import { modelId } from '../network/addresses.ts';
import { GatewayError } from './gatewayError.ts';

const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

/**
 * The protocol id (bytes32) of a model the gateway routes by name: sha256 of the name, as the
 * simulator names its models (the harness would use sha256 of the weights; the gateway never
 * sees them). Remembered in `ids`; a malformed name is a GatewayError(400) naming `field`.
 */
export function modelIdFor(ids: Map<string, Hex>, name: unknown, field: string): Hex {
  if (typeof name !== 'string' || !modelNamePattern.test(name))
    throw new GatewayError(
      400,
      'BadModel',
      `${field}: expected a model name (letters, digits, ._:/-), got ${JSON.stringify(name)}`,
      field,
    );
  let id = ids.get(name);
  if (!id) {
    id = modelId(name);
    ids.set(name, id);
  }
  return id;
}
