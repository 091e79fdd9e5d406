import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import { buildPayoutTree } from '../merkle/payoutTree.ts';
import { sealedAuditOf } from '../params.ts';
import { type Address, type Hex, Lane, type State, type Totals } from '../types.ts';
import { drawCommittee, epochRandomness, isSampled } from '../verification/audit.ts';
import { show } from './show.ts';

type Check = (events: readonly ProtocolEvent[], after: State) => string | null;
type Ratio = { num: bigint; den: bigint };
type Expected = Record<string, unknown> & { type: ProtocolEvent['type'] };

const floor = (x: bigint, r: Ratio) => (x * r.num) / r.den;
const ceil = (x: bigint, r: Ratio) => (x * r.num + r.den - 1n) / r.den;
const min = (x: bigint, y: bigint) => (x < y ? x : y);
const add = <K>(m: Map<K, bigint>, k: K, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);

/** The totals a settlement moves (the reports read them): what it adds to each. */
const settledTotals = [
  'auditsOpened',
  'auditsResolved',
  'oracleFeesMicroUsdc',
  'slashedMicroUsdc',
  'bountiesMicroUsdc',
  'mismatchesConfirmed',
  'withheldMicroUsdc',
  'refundedMicroUsdc',
  'includedPaidMicroUsdc',
  'dedicatedPaidMicroUsdc',
  'takeMicroUsdc',
  'settledMicroUsdc',
  'receiptsSettled',
] as const satisfies readonly (keyof Totals)[];
type Moved = Record<(typeof settledTotals)[number], bigint>;

/** The kinds of event a settlement emits, in the order the rules emit them. */
const settleEventTypes = new Set<string>([
  'AuditResolved',
  'Slashed',
  'ReceiptSettled',
  'DayBudgetReleased',
  'AuditOpened',
  'EpochSettled',
]);

/**
 * Settlement of epoch E, recomputed from the state before it by PROTOCOL.md §6 (payment), §7
 * (Proof-of-AI) and §3 (day budgets), and compared with what the handler did (the audit's
 * `actionEffects` check, issue 21):
 *
 * 1. Epoch E − 1's audits resolve, in the order they opened: each vote pays its oracle the fee
 *    (or what the treasury has left); `auditQuorum` mismatches confirm a fault, which slashes
 *    `slashFraction` of the worker's bond (floor), gives `bountyFraction` of it (floor) to the
 *    first oracle that reported a mismatch and the rest to the treasury, withholds every unsettled
 *    receipt of the worker, gives an Included requester its credits back if the credit day is
 *    still the same, and jails the worker for `jailMs`.
 * 2. Epoch E − 1's receipts settle: a withheld one pays nothing (Dedicated: its escrow goes back to
 *    the sponsor once the reservation has ended, else counts as failed CU); every other one pays
 *    gross = units × price from its day budget or its reservation's escrow, the take (ceil; none
 *    under Ratio1) to the treasury and the rest to the worker's payout (under Ratio1, to the
 *    Proof-of-AI escrow).
 * 3. The payout Merkle root is posted with the payouts (when there are any); every day budget
 *    whose last receipt is now settled gives back what it did not pay.
 * 4. Epoch E's receipts are sampled for audit with keccak(root ‖ E) as randomness, committees
 *    drawn from the active oracles (ONE's rules only; sealed jobs by the sealed-audit policy).
 *
 * Checked afterwards: the events (each, exactly, in order), the treasury, every account's USDC,
 * workers' bonds, slashes, jails and earnings, oracles' verdicts and fees, the holders' used
 * credits, reservations' escrow, day budgets, the settlement record and pool, the audits left
 * open, and the totals the reports read. A handler that pays the wrong oracle, slashes from the
 * wrong balance, forgets to release a day budget or skips the audit draw breaks none of the
 * conservation invariants, and is seen here.
 */
export function settleCheck(s: State, a: Action, nowMs: number): Check | null {
  if (a.type !== 'settle') return null;
  const p = s.params;
  const E = a.epoch;
  let treasury = s.treasuryMicroUsdc;
  const usdc = new Map<Address, bigint>();
  const moved = Object.fromEntries(settledTotals.map((k) => [k, 0n])) as Moved;
  const bond = new Map<Address, bigint>();
  const slashedBy = new Map<Address, bigint>();
  const jailedUntil = new Map<Address, number>();
  const earned = new Map<Address, bigint>();
  const oracleFees = new Map<Address, bigint>();
  const verdicts = new Map<Address, bigint>();
  const usedCu = new Map<Address, bigint>();
  const events: Expected[] = [];
  const pending = [...s.pendingByEpoch.values()].flat();
  const voided = new Set(pending.filter((id) => s.jobs.get(id)?.voided));

  // 1. Proof-of-AI verdicts on epoch E − 1.
  const resolved = [...s.audits.values()].filter((x) => x.epoch === E - 1);
  for (const audit of resolved) {
    const job = s.jobs.get(audit.jobId);
    let mismatches = 0;
    let reporter: Address | null = null;
    for (const [oracle, hash] of audit.votes) {
      const fee = min(p.oracleFeeMicroUsdcPerVerdict, treasury);
      treasury -= fee;
      add(usdc, oracle, fee);
      add(oracleFees, oracle, fee);
      add(verdicts, oracle, 1n);
      moved.oracleFeesMicroUsdc += fee;
      if (hash !== job?.resultHash) {
        mismatches += 1;
        reporter ??= oracle;
      }
    }
    const confirmed = mismatches >= p.auditQuorum;
    moved.auditsResolved += 1n;
    events.push({
      type: 'AuditResolved',
      jobId: audit.jobId,
      worker: audit.worker,
      mismatches,
      votes: audit.votes.size,
      confirmed,
    });
    if (!confirmed) continue;
    const w = audit.worker;
    const had = bond.get(w) ?? s.workers.get(w)?.bondMicroUsdc ?? 0n;
    const slashed = floor(had, p.slashFraction);
    const bounty = reporter ? floor(slashed, p.bountyFraction) : 0n;
    bond.set(w, had - slashed);
    add(slashedBy, w, slashed);
    if (reporter) add(usdc, reporter, bounty);
    treasury += slashed - bounty;
    moved.slashedMicroUsdc += slashed;
    moved.bountiesMicroUsdc += bounty;
    moved.mismatchesConfirmed += 1n;
    let withheld = 0n;
    for (const id of pending) {
      const j = s.jobs.get(id);
      if (!j || j.worker !== w || voided.has(id)) continue;
      voided.add(id);
      withheld += j.units * j.priceMicroUsdcPerCu;
    }
    if (job?.lane === Lane.included) {
      const h = s.holders.get(job.requester);
      if (h && h.creditDay === job.creditDay) add(usedCu, job.requester, -job.units);
    }
    jailedUntil.set(w, nowMs + p.jailMs);
    events.push({
      type: 'Slashed',
      worker: w,
      jobId: audit.jobId,
      mismatches,
      slashedMicroUsdc: slashed,
      bountyMicroUsdc: bounty,
      reporter,
      withheldMicroUsdc: withheld,
      jailedUntilMs: nowMs + p.jailMs,
    });
  }

  // 2. Epoch E − 1's receipts.
  const reservations = new Map(
    [...s.reservations].map(([id, r]) => [
      id,
      {
        sponsor: r.sponsor,
        ended: r.ended,
        escrow: r.escrowMicroUsdc,
        committed: r.committedMicroUsdc,
        failedCu: r.failedCu,
        gone: false,
      },
    ]),
  );
  const budgetPaid = new Map([...s.dayBudgets].map(([d, b]) => [d, b.paidMicroUsdc]));
  const payouts = new Map<Address, bigint>();
  let total = 0n;
  let receipts = 0;
  let ratio1Escrow = s.ratio1?.escrowMicroUsdc;
  const settledIds = s.pendingByEpoch.get(E - 1) ?? [];
  for (const id of settledIds) {
    const job = s.jobs.get(id);
    if (!job) continue;
    const gross = job.units * job.priceMicroUsdcPerCu;
    const r = job.reservationId === null ? undefined : reservations.get(job.reservationId);
    if (voided.has(id)) {
      moved.withheldMicroUsdc += gross;
      if (job.lane === Lane.included || !r) continue;
      r.committed -= gross;
      if (!r.ended) r.failedCu += job.units;
      else {
        r.escrow -= gross;
        add(usdc, r.sponsor, gross);
        moved.refundedMicroUsdc += gross;
        if (r.escrow === 0n) r.gone = true;
      }
      continue;
    }
    receipts += 1;
    const take = s.ratio1 ? 0n : ceil(gross, p.takeRate);
    if (job.lane === Lane.included) {
      add(budgetPaid, job.creditDay, gross);
      moved.includedPaidMicroUsdc += gross;
    } else if (r) {
      r.escrow -= gross;
      r.committed -= gross;
      moved.dedicatedPaidMicroUsdc += gross;
      if (r.ended && r.escrow === 0n) r.gone = true;
    }
    const net = gross - take;
    if (ratio1Escrow !== undefined) ratio1Escrow += net;
    else if (job.worker) {
      add(payouts, job.worker, net);
      add(earned, job.worker, net);
      total += net;
    }
    treasury += take;
    moved.takeMicroUsdc += take;
    moved.settledMicroUsdc += gross;
    events.push({
      type: 'ReceiptSettled',
      epoch: E,
      jobId: id,
      lane: job.lane,
      worker: job.worker,
      grossMicroUsdc: gross,
      takeMicroUsdc: take,
    });
  }
  moved.receiptsSettled = BigInt(receipts);

  // 3. The root, and day budgets whose last receipt is settled.
  const { root } = buildPayoutTree(payouts);
  const released = new Set<number>();
  for (const [day, b] of s.dayBudgets) {
    if (b.releaseEpoch > E) continue;
    const returnedMicroUsdc = b.earmarkedMicroUsdc - (budgetPaid.get(day) ?? 0n);
    treasury += returnedMicroUsdc;
    released.add(day);
    events.push({ type: 'DayBudgetReleased', day, returnedMicroUsdc });
  }

  // 4. Epoch E's audits.
  const opened = new Map<
    number,
    { worker: Address | null; requester: Address; committee: Address[] }
  >();
  const oracles = [...s.oracles.values()].filter((o) => o.active).map((o) => o.address);
  if (!s.ratio1 && p.auditSampleRate.num !== 0n && oracles.length >= p.auditQuorum) {
    const policy = sealedAuditOf(p);
    const randomness: Hex = epochRandomness(root, E);
    for (const id of s.pendingByEpoch.get(E) ?? []) {
      const job = s.jobs.get(id);
      if (!job?.receiptId) continue;
      const auditable =
        job.sealed === undefined ||
        policy === 'tee' ||
        (policy === 'opt-in' && job.sealed === 'auditable');
      if (!auditable || !isSampled(randomness, job.receiptId, p.auditSampleRate)) continue;
      const committee = drawCommittee(randomness, id, oracles, p.auditCommitteeSize);
      opened.set(id, { worker: job.worker, requester: job.requester, committee });
      moved.auditsOpened += 1n;
      events.push({ type: 'AuditOpened', jobId: id, worker: job.worker, epoch: E, committee });
    }
  }
  events.push({ type: 'EpochSettled', epoch: E, root, receipts, totalMicroUsdc: total });

  // What the step will be compared against, copied now (the handler changes `s` in place).
  const before = {
    usdc: new Map([...s.accounts].map(([k, acc]) => [k, acc.usdc])),
    workers: new Map(
      [...s.workers].map(([k, w]) => [
        k,
        {
          bond: w.bondMicroUsdc,
          slashed: w.slashedMicroUsdc,
          earned: w.earnedMicroUsdc,
          jailed: w.jailed,
          until: w.jailedUntilMs,
        },
      ]),
    ),
    oracles: new Map(
      [...s.oracles].map(([k, o]) => [k, { verdicts: o.verdicts, earned: o.earnedMicroUsdc }]),
    ),
    usedCu: new Map([...s.holders].map(([k, h]) => [k, h.usedCu])),
    pool: s.settlementPoolMicroUsdc,
    totals: Object.fromEntries(settledTotals.map((k) => [k, BigInt(s.totals[k])])) as Moved,
    audits: new Set([...s.audits.keys()].filter((id) => s.audits.get(id)?.epoch !== E - 1)),
    pending: pending.filter((id) => !settledIds.includes(id)),
  };
  const expected = {
    treasury,
    usdc,
    bond,
    slashedBy,
    jailedUntil,
    earned,
    oracleFees,
    verdicts,
    usedCu,
    events,
    reservations,
    budgetPaid,
    released,
    payouts,
    total,
    root,
    ratio1Escrow,
    opened,
    moved,
    voided,
    settledIds,
  };
  return (got, after) => compare(E, before, expected, got, after);
}

function compare(
  E: number,
  before: {
    usdc: Map<Address, bigint>;
    workers: Map<
      Address,
      { bond: bigint; slashed: bigint; earned: bigint; jailed: boolean; until: number }
    >;
    oracles: Map<Address, { verdicts: number; earned: bigint }>;
    usedCu: Map<Address, bigint>;
    pool: bigint;
    totals: Moved;
    audits: Set<number>;
    pending: number[];
  },
  x: {
    treasury: bigint;
    usdc: Map<Address, bigint>;
    bond: Map<Address, bigint>;
    slashedBy: Map<Address, bigint>;
    jailedUntil: Map<Address, number>;
    earned: Map<Address, bigint>;
    oracleFees: Map<Address, bigint>;
    verdicts: Map<Address, bigint>;
    usedCu: Map<Address, bigint>;
    events: Expected[];
    reservations: Map<
      number,
      { escrow: bigint; committed: bigint; failedCu: bigint; gone: boolean }
    >;
    budgetPaid: Map<number, bigint>;
    released: Set<number>;
    payouts: Map<Address, bigint>;
    total: bigint;
    root: Hex;
    ratio1Escrow: bigint | undefined;
    opened: Map<number, { worker: Address | null; requester: Address; committee: Address[] }>;
    moved: Moved;
    voided: Set<number>;
    settledIds: number[];
  },
  got: readonly ProtocolEvent[],
  after: State,
): string | null {
  const at = `settle ${E}`;
  const emitted = got.filter((e) => settleEventTypes.has(e.type));
  for (let i = 0; i < Math.max(emitted.length, x.events.length); i++) {
    const e = emitted[i] as Record<string, unknown> | undefined;
    const w = x.events[i];
    if (!e || !w || !Object.entries(w).every(([k, v]) => show(e[k]) === show(v)))
      return `${at}: event ${i} is ${show(e)}, the rules say ${show(w)}`;
  }
  if (after.treasuryMicroUsdc !== x.treasury)
    return `${at}: the treasury holds ${after.treasuryMicroUsdc}, the rules say ${x.treasury}`;
  for (const k of new Set([...before.usdc.keys(), ...after.accounts.keys()])) {
    const want = (before.usdc.get(k) ?? 0n) + (x.usdc.get(k) ?? 0n);
    const has = after.accounts.get(k)?.usdc ?? 0n;
    if (has !== want) return `${at}: ${k} holds ${has} USDC, the rules say ${want}`;
  }
  for (const [k, b] of before.workers) {
    const w = after.workers.get(k);
    const bond = x.bond.get(k) ?? b.bond;
    const slashed = b.slashed + (x.slashedBy.get(k) ?? 0n);
    const earned = b.earned + (x.earned.get(k) ?? 0n);
    const until = x.jailedUntil.get(k);
    const jailed = until !== undefined || b.jailed;
    if (
      !w ||
      w.bondMicroUsdc !== bond ||
      w.slashedMicroUsdc !== slashed ||
      w.earnedMicroUsdc !== earned ||
      w.jailed !== jailed ||
      w.jailedUntilMs !== (until ?? b.until)
    )
      return `${at}: worker ${k} has bond ${w?.bondMicroUsdc}, slashed ${w?.slashedMicroUsdc}, earned ${w?.earnedMicroUsdc}, jailed ${w?.jailed} until ${w?.jailedUntilMs}; the rules say ${bond}, ${slashed}, ${earned}, ${jailed} until ${until ?? b.until}`;
  }
  for (const [k, o] of before.oracles) {
    const g = after.oracles.get(k);
    const verdicts = o.verdicts + Number(x.verdicts.get(k) ?? 0n);
    const earned = o.earned + (x.oracleFees.get(k) ?? 0n);
    if (g?.verdicts !== verdicts || g.earnedMicroUsdc !== earned)
      return `${at}: oracle ${k} has ${g?.verdicts} verdicts and earned ${g?.earnedMicroUsdc}; the rules say ${verdicts} and ${earned}`;
  }
  for (const [k, used] of before.usedCu) {
    const want = used + (x.usedCu.get(k) ?? 0n);
    const has = after.holders.get(k)?.usedCu;
    if (has !== want) return `${at}: holder ${k} has used ${has} CU, the rules say ${want}`;
  }
  for (const id of x.settledIds)
    if (after.jobs.has(id)) return `${at}: job ${id} is settled but still in the books`;
  if (after.pendingByEpoch.has(E - 1)) return `${at}: epoch ${E - 1}'s receipts are still pending`;
  for (const id of before.pending) {
    const j = after.jobs.get(id);
    if (j && j.voided !== x.voided.has(id))
      return `${at}: job ${id} is ${j.voided ? '' : 'not '}withheld; the rules say ${x.voided.has(id) ? '' : 'not '}withheld`;
  }
  for (const [id, r] of x.reservations) {
    const g = after.reservations.get(id);
    if (
      r.gone
        ? g
        : !g ||
          g.escrowMicroUsdc !== r.escrow ||
          g.committedMicroUsdc !== r.committed ||
          g.failedCu !== r.failedCu
    )
      return `${at}: reservation ${id} has escrow ${g?.escrowMicroUsdc}, committed ${g?.committedMicroUsdc}, failed ${g?.failedCu} CU${g ? '' : ' (gone)'}; the rules say ${r.gone ? 'gone' : `${r.escrow}, ${r.committed}, ${r.failedCu}`}`;
  }
  for (const [day, paid] of x.budgetPaid) {
    const g = after.dayBudgets.get(day);
    if (x.released.has(day) ? g : g?.paidMicroUsdc !== paid)
      return `${at}: day ${day}'s budget has paid ${g?.paidMicroUsdc}${g ? '' : ' (released)'}; the rules say ${x.released.has(day) ? 'released' : paid}`;
  }
  const st = after.settlements.get(E);
  if (
    x.payouts.size === 0
      ? st
      : st?.root !== x.root ||
        st.unclaimedMicroUsdc !== x.total ||
        st.claimed.size !== 0 ||
        show(st.payouts) !== show(x.payouts)
  )
    return `${at}: the settlement record is ${show(st)}; the rules say ${x.payouts.size ? show({ root: x.root, payouts: x.payouts, unclaimed: x.total }) : 'none (no payouts)'}`;
  if (after.settlementPoolMicroUsdc !== before.pool + x.total)
    return `${at}: the settlement pool holds ${after.settlementPoolMicroUsdc}, the rules say ${before.pool + x.total}`;
  if (after.lastSettledEpoch !== E || after.lastRoot !== x.root)
    return `${at}: last settled epoch ${after.lastSettledEpoch} with root ${after.lastRoot}; the rules say ${E} with ${x.root}`;
  if (after.ratio1?.escrowMicroUsdc !== x.ratio1Escrow)
    return `${at}: the Proof-of-AI escrow holds ${after.ratio1?.escrowMicroUsdc}, the rules say ${x.ratio1Escrow}`;
  const open = new Set([...before.audits, ...x.opened.keys()]);
  if (show([...after.audits.keys()].sort()) !== show([...open].sort()))
    return `${at}: audits open on jobs ${show([...after.audits.keys()])}; the rules say ${show([...open])}`;
  for (const [id, o] of x.opened) {
    const g = after.audits.get(id);
    if (
      g?.epoch !== E ||
      g.worker !== o.worker ||
      g.requester !== o.requester ||
      show(g.committee) !== show(o.committee) ||
      g.votes.size !== 0
    )
      return `${at}: the audit of job ${id} is ${show(g)}; the rules say epoch ${E}, worker ${o.worker}, committee ${show(o.committee)}, no votes`;
  }
  for (const k of settledTotals) {
    const want = before.totals[k] + x.moved[k];
    if (BigInt(after.totals[k]) !== want)
      return `${at}: totals.${k} is ${after.totals[k]}, the rules say ${want}`;
  }
  return null;
}
