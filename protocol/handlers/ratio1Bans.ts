import type { Action } from '../actions.ts';
import { reject } from '../rejections.ts';
import type { Handler, StepContext } from './context.ts';
import { refreshWorkerIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/**
 * Ratio1's only sanction (PROTOCOL.md §10, protocol/README.md rule 6): the owner bans a licence
 * (ratio1-sc `NDContract.banLicense`, `onlyOwner`; `LicenseAlreadyBanned` / `LicenseNotBanned`).
 * A banned licence cannot claim its rewards (`claimRewards` → `_requireNotBanned`) and its node
 * is not active (`isNodeActive`): in onesim it mines no licence release, is paid nothing by the
 * Proof-of-AI escrow and takes no new jobs until unbanned. The owner is `params.governor`.
 */
function banOrUnban(
  ctx: StepContext,
  a: A<'banLicence'> | A<'unbanLicence'>,
): ReturnType<Handler<A<'banLicence'>>> {
  const { state } = ctx;
  const books = state.ratio1;
  if (!books)
    return reject(
      'InvalidAction',
      `${a.type} applies under params.rewardRules 'ratio1' only (ONE slashes and jails instead)`,
    );
  if (a.owner !== state.params.governor)
    return reject('NotGovernor', `${a.owner} is not the owner (params.governor)`);
  const w = state.workers.get(a.worker);
  if (!w) return reject('UnknownWorker', `${a.worker} is not a registered worker`);
  const ban = a.type === 'banLicence';
  const banned = books.banned?.has(a.worker) ?? false;
  if (ban && banned) return reject('LicenceBanned', `${a.worker}'s licence is already banned`);
  if (!ban && !banned) return reject('LicenceNotBanned', `${a.worker}'s licence is not banned`);
  if (ban) {
    books.banned ??= new Set();
    books.banned.add(a.worker);
  } else books.banned?.delete(a.worker);
  refreshWorkerIndex(state, w);
  ctx.events.push({ type: 'LicenceBanned', worker: a.worker, banned: ban });
  return null;
}

export const banLicence: Handler<A<'banLicence'>> = banOrUnban;
export const unbanLicence: Handler<A<'unbanLicence'>> = banOrUnban;
