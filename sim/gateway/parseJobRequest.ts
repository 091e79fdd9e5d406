import { type Address, Lane } from '../../protocol/index.ts';
import type { ChatParams } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { parseSealed, type SealedRequest } from './sealedJobs.ts';

export type JobRequest = {
  lane: Lane;
  requester: Address;
  modelName: string;
  params: ChatParams;
  units: bigint | null;
  /** A sealed job (then `params` is empty: the gateway never sees them). */
  sealed?: SealedRequest;
};

const bad = (field: string, message: string) =>
  new GatewayError(400, 'BadJobRequest', `${field}: ${message}`, field);

function parseUnits(units: unknown): bigint | null {
  if (units === undefined) return null;
  if (typeof units !== 'number' || !Number.isSafeInteger(units) || units <= 0)
    throw bad('units', `expected a positive integer, got ${JSON.stringify(units)}`);
  return BigInt(units);
}

/** Validates `POST /jobs` `{lane, requester, model, params, units?}`; throws GatewayError(400) naming the field. */
export function parseJobRequest(body: unknown): JobRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw bad('body', 'expected a JSON object');
  const b = body as Record<string, unknown>;
  const lane =
    b.lane === 'included' || b.lane === 0
      ? Lane.included
      : b.lane === 'dedicated' || b.lane === 1
        ? Lane.dedicated
        : null;
  if (lane === null)
    throw bad('lane', `expected "included" or "dedicated", got ${JSON.stringify(b.lane)}`);
  if (typeof b.requester !== 'string' || !/^0x[0-9a-f]{40}$/.test(b.requester))
    throw bad('requester', `expected a lower-case 0x address, got ${JSON.stringify(b.requester)}`);
  if (typeof b.model !== 'string')
    throw bad('model', `expected a model name, got ${JSON.stringify(b.model)}`);
  if (b.sealed !== undefined) {
    const units = parseUnits(b.units);
    const sealed = parseSealed(b, b.requester as Address, b.model, units);
    return {
      lane,
      requester: b.requester as Address,
      modelName: b.model,
      params: {},
      units,
      sealed,
    };
  }
  const params = b.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw bad('params', 'expected OpenAI chat-completion parameters (an object)');
  if (
    !Array.isArray((params as ChatParams).messages) ||
    ((params as ChatParams).messages as unknown[]).length === 0
  )
    throw bad('params.messages', 'expected a non-empty array');
  const units = parseUnits(b.units);
  return {
    lane,
    requester: b.requester as Address,
    modelName: b.model,
    params: params as ChatParams,
    units,
  };
}
