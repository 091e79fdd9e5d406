import type { Action } from '../actions.ts';
import { checkParams, genesisParams, immutableParams } from '../params.ts';
import { reject } from '../rejections.ts';
import type { Handler } from './context.ts';
import { refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/** Validates a change set against the current parameters; null when it is acceptable. */
function checkChanges(current: object, changes: Record<string, unknown>) {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes))
    return reject('InvalidParams', 'changes must be an object of parameter overrides');
  const fixed = Object.keys(changes).find((k) =>
    (immutableParams as readonly string[]).includes(k),
  );
  if (fixed)
    return reject(
      'ParamImmutable',
      `params.${fixed} fixes the settlement calendar and cannot change`,
    );
  const genesis = Object.keys(changes).find((k) =>
    (genesisParams as readonly string[]).includes(k),
  );
  if (genesis)
    return reject('ParamImmutable', `params.${genesis} is fixed at genesis and cannot change`);
  const unknownKey = Object.keys(changes).find((k) => !(k in current));
  if (unknownKey) return reject('InvalidParams', `params.${unknownKey} is not a parameter`);
  const checked = checkParams({ ...current, ...changes });
  if (!checked.ok)
    return reject(
      'InvalidParams',
      checked.issues.map((i) => `params.${i.field}: ${i.message}`).join('; '),
    );
  return null;
}

/** Governance queues a parameter change; it can execute once the timelock has passed. */
export const proposeParams: Handler<A<'proposeParams'>> = (ctx, a) => {
  const { state } = ctx;
  if (a.proposer !== state.params.governor)
    return reject('NotGovernor', `${a.proposer} is not the governor`);
  const bad = checkChanges(state.params, a.changes as Record<string, unknown>);
  if (bad) return bad;
  const id = state.nextProposalId++;
  const etaMs = ctx.nowMs + state.params.timelockMs;
  state.proposals.set(id, {
    id,
    changes: structuredClone(a.changes) as Record<string, unknown>,
    etaMs,
  });
  ctx.events.push({ type: 'ProposalQueued', proposalId: id, etaMs });
  return null;
};

export const executeProposal: Handler<A<'executeProposal'>> = (ctx, a) => {
  const { state } = ctx;
  const prop = state.proposals.get(a.proposalId);
  if (!prop) return reject('UnknownProposal', `no queued proposal ${a.proposalId}`);
  if (ctx.nowMs < prop.etaMs)
    return reject('TimelockNotElapsed', `proposal ${prop.id} executes at ${prop.etaMs} ms`);
  // Re-checked: other changes may have executed since it was queued.
  const bad = checkChanges(state.params, prop.changes);
  if (bad) return bad;
  const checked = checkParams({ ...state.params, ...prop.changes });
  if (!checked.ok) throw new Error('assertion: re-checked params failed');
  state.params = checked.params;
  state.proposals.delete(prop.id);
  // The burst (so the buckets' cap) may have moved: every waiting reservation is looked at again.
  state.dedicatedNotBeforeMs.clear();
  // The bond minimum may have moved: eligibility follows it at once.
  for (const w of state.workers.values()) if (w.status === 'active') refreshWorkerIndex(state, w);
  ctx.events.push({ type: 'ProposalExecuted', proposalId: prop.id });
  return null;
};

export const cancelProposal: Handler<A<'cancelProposal'>> = (ctx, a) => {
  const { state } = ctx;
  if (a.proposer !== state.params.governor)
    return reject('NotGovernor', `${a.proposer} is not the governor`);
  if (!state.proposals.has(a.proposalId))
    return reject('UnknownProposal', `no queued proposal ${a.proposalId}`);
  state.proposals.delete(a.proposalId);
  ctx.events.push({ type: 'ProposalCancelled', proposalId: a.proposalId });
  return null;
};
