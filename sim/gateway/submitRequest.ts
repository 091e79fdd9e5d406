import { type Address, digestJson, Lane } from '../../protocol/index.ts';
import type { ChatParams, GatewayCore } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';

export type SubmitRequestParameters = {
  core: GatewayCore;
  lane: Lane;
  requester: Address;
  modelName: string;
  params: ChatParams;
  units: bigint;
};

/** The active reservation of a sponsor (Dedicated jobs need one), or null. */
export function activeReservationOf(core: GatewayCore, sponsor: Address): number | null {
  const now = core.nowMs();
  for (const r of core.state.reservations.values())
    if (r.sponsor === sponsor && !r.ended && now >= r.startAtMs && now < r.endAtMs) return r.id;
  return null;
}

/**
 * Turns a request into a protocol job (`submitJob`), queued until a worker's poll leases it. The job's
 * requestHash is sha256 of the params' sorted-key JSON, as the worker's receipt must state it.
 * Returns the job id; a protocol refusal is a GatewayError(409) with the protocol's code.
 */
export function submitRequest(p: SubmitRequestParameters): number {
  const { core } = p;
  const params = { ...p.params, model: p.modelName };
  const requestHash = digestJson(params);
  const model = core.modelIds.get(p.modelName);
  if (!model)
    throw new GatewayError(
      400,
      'UnknownModel',
      `model: ${JSON.stringify(p.modelName)} is not served here; this gateway serves ${[...core.modelIds.keys()].join(', ')}`,
      'model',
    );
  const reservationId =
    p.lane === Lane.dedicated ? activeReservationOf(core, p.requester) : undefined;
  if (reservationId === null)
    throw new GatewayError(
      409,
      'UnknownReservation',
      `requester: ${p.requester} has no active reservation`,
      'requester',
    );
  const id = core.state.nextJobId;
  const r = core.act(
    {
      type: 'submitJob',
      lane: p.lane,
      requester: p.requester,
      model,
      units: p.units,
      requestHash: `0x${requestHash}`,
      ...(reservationId !== undefined ? { reservationId } : {}),
    },
    { params, modelName: p.modelName, requestHash },
  );
  if (!r.ok)
    throw new GatewayError(
      409,
      r.code,
      `submitJob: ${r.message}`,
      r.code === 'InsufficientCredits' ? 'requester' : null,
    );
  return id;
}
