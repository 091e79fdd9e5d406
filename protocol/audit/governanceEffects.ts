import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import { checkParams } from '../params.ts';
import type { State } from '../types.ts';
import { show } from './show.ts';

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;

/**
 * Governance (PROTOCOL.md §11) as the audit's `actionEffects` check sees it (issue 21): a proposal
 * is queued under the next id with a copy of its changes and `timelockMs` from now; an execution
 * makes the parameters exactly the current ones with its changes applied (as `checkParams`
 * resolves them) and forgets the proposal; a cancellation forgets it. Nothing else in the queue
 * moves.
 */
export function governanceCheck(s: State, a: Action, nowMs: number): Check | null {
  if (a.type !== 'proposeParams' && a.type !== 'executeProposal' && a.type !== 'cancelProposal')
    return null;
  const queue = new Map([...s.proposals].map(([id, x]) => [id, show(x)]));
  let params = show(s.params);
  if (a.type === 'proposeParams') {
    const id = s.nextProposalId;
    queue.set(id, show({ id, changes: a.changes, etaMs: nowMs + s.params.timelockMs }));
  } else {
    const prop = s.proposals.get(a.proposalId);
    queue.delete(a.proposalId);
    if (a.type === 'executeProposal' && prop) {
      const checked = checkParams({ ...s.params, ...prop.changes });
      if (checked.ok) params = show(checked.params);
    }
  }
  const next = s.nextProposalId + (a.type === 'proposeParams' ? 1 : 0);
  return (_events, after) => {
    const got = new Map([...after.proposals].map(([id, x]) => [id, show(x)]));
    if (show([...got]) !== show([...queue]))
      return `${a.type}: proposals are ${show([...got.values()])}; the rules say ${show([...queue.values()])}`;
    if (after.nextProposalId !== next)
      return `${a.type}: the next proposal id is ${after.nextProposalId}, the rules say ${next}`;
    if (show(after.params) !== params)
      return `${a.type}: parameters are ${show(after.params)}; the rules say ${params}`;
    return null;
  };
}
