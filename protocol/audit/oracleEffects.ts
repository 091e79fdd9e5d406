import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import { ratio1ParamsOf } from '../params.ts';
import type { Address, State } from '../types.ts';
import { minBig } from '../units.ts';
import { availabilityConsensus } from '../verification/availability.ts';
import { show } from './show.ts';

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;

/**
 * The oracle set and Proof-of-Availability (PROTOCOL.md §8) as the audit's `actionEffects` check
 * sees them, from the state before the step (issue 21):
 *
 * - registerOracle leaves the oracle active with the verdicts and fees it had (none if new);
 *   removeOracle leaves it inactive with them;
 * - postAvailability files exactly the posted scores under (day, oracle), and nothing else;
 * - closeAvailabilityDay takes the day's reports, the active oracles, the online ones (those that
 *   posted or that some oracle scored above 0) and the workers that have not exited, agrees per
 *   protocol/verification/availability.ts (the documented rule, never the handler), gives every
 *   agreed worker its score and leaves the others' as they were, splits the day's availability
 *   reward (at most what the treasury holds) by score, rounded down, from the treasury to the
 *   workers (under ONE's rules; under Ratio1's the day close also mints and pays from the escrow,
 *   checked by ratio1Effects.ts, so only the treasury's side is checked here), forgets the day's
 *   reports, records the day, and says all of it in AvailabilityClosed.
 */
export function oracleCheck(s: State, a: Action): Check | null {
  switch (a.type) {
    case 'registerOracle':
    case 'removeOracle': {
      const o = s.oracles.get(a.oracle);
      const verdicts = o?.verdicts ?? 0;
      const earned = o?.earnedMicroUsdc ?? 0n;
      const active = a.type === 'registerOracle';
      return (_events, after) => {
        const g = after.oracles.get(a.oracle);
        return g?.active === active && g.verdicts === verdicts && g.earnedMicroUsdc === earned
          ? null
          : `${a.type}: ${a.oracle} is ${show(g)}; the rules say ${active ? 'active' : 'inactive'} with ${verdicts} verdicts and ${earned} earned`;
      };
    }
    case 'postAvailability': {
      const filed = new Map(
        [...(s.availabilityReports.get(a.day) ?? new Map())].map(([k, v]) => [k, show(v)]),
      );
      filed.set(a.oracle, show(new Map(a.scores)));
      return (_events, after) => {
        const day = after.availabilityReports.get(a.day);
        const got = new Map([...(day ?? new Map())].map(([k, v]) => [k, show(v)]));
        return show(got) === show(filed)
          ? null
          : `postAvailability: day ${a.day}'s reports are ${show(got)}; the rules say ${show(filed)}`;
      };
    }
    case 'closeAvailabilityDay':
      return dayClose(s, a.day);
    default:
      return null;
  }
}

function dayClose(s: State, day: number): Check {
  const p = s.params;
  const reports = s.availabilityReports.get(day) ?? new Map<Address, Map<Address, number>>();
  const registered = [...s.oracles.values()].filter((o) => o.active).map((o) => o.address);
  const online = registered.filter(
    (o) => reports.has(o) || [...reports.values()].some((r) => (r.get(o) ?? 0) > 0),
  );
  const c = availabilityConsensus({
    reports,
    registeredOracles: registered,
    onlineOracles: online,
    workers: [...s.workers.values()].filter((w) => w.status !== 'exited').map((w) => w.address),
    oracleMinScore: p.poaOracleMinScore,
    quorumOfRegistered: p.poaQuorumOfRegistered,
    quorumOfOnline: p.poaQuorumOfOnline,
    ...(s.ratio1 ? { ratio1MarginScore: ratio1ParamsOf(p).availabilityMarginScore } : {}),
  });
  const scoreOf = new Map(
    [...s.workers].map(([k, w]) => [k, c.scores.get(k) ?? w.availabilityScore]),
  );
  const pot = minBig(p.availabilityRewardMicroUsdcPerDay, s.treasuryMicroUsdc);
  const total = [...c.scores.values()].reduce((x, y) => x + BigInt(y), 0n);
  const reward = new Map<Address, bigint>();
  if (pot > 0n && total > 0n)
    for (const [w, v] of c.scores) {
      const amount = (pot * BigInt(v)) / total;
      if (amount > 0n) reward.set(w, (reward.get(w) ?? 0n) + amount);
    }
  const paid = [...reward.values()].reduce((x, y) => x + y, 0n);
  const usdc = new Map([...s.accounts].map(([k, acc]) => [k, acc.usdc]));
  const treasury = s.treasuryMicroUsdc - paid;
  const closed = s.totals.availabilityDaysClosed + 1;
  const faultyDays = s.totals.faultyDays + (c.faulty ? 1 : 0);
  const rewards = s.totals.availabilityRewardsMicroUsdc + paid;
  const last = {
    day,
    faulty: c.faulty,
    participants: c.participants.length,
    unagreed: c.unagreed.length,
  };
  const at = `closeAvailabilityDay ${day}`;
  return (events, after) => {
    const e = events.find((x) => x.type === 'AvailabilityClosed');
    const want = { type: 'AvailabilityClosed', ...last, rewardsMicroUsdc: paid };
    if (!e || show(e) !== show(want))
      return `${at}: emitted ${show(e)}; the rules say ${show(want)}`;
    if (show(after.lastAvailability) !== show(last) || after.lastAvailabilityDay !== day)
      return `${at}: the last availability day is ${after.lastAvailabilityDay}, ${show(after.lastAvailability)}; the rules say ${show(last)}`;
    for (const [k, v] of scoreOf) {
      const has = after.workers.get(k)?.availabilityScore;
      if (has !== v)
        return `${at}: ${k} scores ${has}, the rules say ${v} (agreed: ${show(c.scores)})`;
    }
    if (after.treasuryMicroUsdc !== treasury)
      return `${at}: the treasury holds ${after.treasuryMicroUsdc}, the rules say ${treasury} (rewards ${paid})`;
    if (!s.ratio1)
      for (const k of new Set([...usdc.keys(), ...after.accounts.keys()])) {
        const want = (usdc.get(k) ?? 0n) + (reward.get(k) ?? 0n);
        const has = after.accounts.get(k)?.usdc ?? 0n;
        if (has !== want)
          return `${at}: ${k} holds ${has} USDC, the rules say ${want} (its reward ${reward.get(k) ?? 0n})`;
      }
    if (after.availabilityReports.has(day)) return `${at}: the day's reports are still filed`;
    if (
      after.totals.availabilityDaysClosed !== closed ||
      after.totals.faultyDays !== faultyDays ||
      after.totals.availabilityRewardsMicroUsdc !== rewards
    )
      return `${at}: totals say ${after.totals.availabilityDaysClosed} days closed, ${after.totals.faultyDays} faulty, ${after.totals.availabilityRewardsMicroUsdc} rewards; the rules say ${closed}, ${faultyDays}, ${rewards}`;
    return null;
  };
}
