import { type Action, coreActionTypes } from '../../protocol/actions.ts';
import { encodeChanges, UnencodableParamError } from '../../protocol/contracts/paramCodec.ts';
import { type PayoutTree, verifyPayoutProof } from '../../protocol/merkle/payoutTree.ts';
import type { Receipt } from '../../protocol/receipts/receipt.ts';
import { ZERO_HASH } from '../../protocol/receipts/receipt.ts';
import type { Address, Hex, State } from '../../protocol/types.ts';
import type { RoleName } from './accounts.ts';
import {
  encodeAttestation,
  type LiveSigners,
  openedAuditPosts,
  workersSlashedAt,
} from './encodeVerification.ts';
import { settlementPosting } from './settlementPosting.ts';

/** A contract call standing for one model action. */
export interface ChainCall {
  /** A role account, or the chain account of a model address. */
  from: RoleName | { actor: Address };
  to: 'protocol' | 'one' | 'usdc';
  functionName: string;
  args: readonly unknown[];
  gas: bigint;
  /**
   * Arguments known only once the model applied the action (the audits a settlement opens), and
   * the gas they need.
   */
  finish?: (after: State) => { args: readonly unknown[]; gas: bigint };
}

export type EncodedAction =
  | { kind: 'call'; call: ChainCall }
  /** Jobs, dispatch and receipts: the model only; settlements carry their outcome. */
  | { kind: 'offchain' }
  /** Values no ABI type holds (negative amounts, non-hex ids): the model must reject these. */
  | { kind: 'unencodable'; reason: string }
  /** No contract implements it yet (the verification layer): fine only while the model rejects it. */
  | { kind: 'unsupported'; reason: string };

export interface EncodeContext {
  /** The model state before the action: the source of the off-chain facts the chain needs. */
  state: State;
  nowMs: number;
  chainOf: (model: Address) => Address;
  /** Payout trees over chain addresses by epoch, filled when a settlement is encoded. */
  trees: Map<number, PayoutTree>;
  sign: LiveSigners;
  /** Accepted receipts by job id (from completeJob), for the audits settlements open. */
  receipts: ReadonlyMap<number, Receipt>;
  /** CU of withheld receipts by reservation, voided before it ended (see encodeEndReservation). */
  voidedCu: Map<number, bigint>;
}

/** The core rules (before the verification layer), for runs that leave that layer out. */
const coreActions: ReadonlySet<string> = new Set(coreActionTypes);

export const isCoreAction = (a: { type: string }): boolean => coreActions.has(a.type);

const gasDefault = 3_000_000n;
const gasLoop = 200_000_000n;
/**
 * A settlement's gas grows with what it does (README, "Settlement gas"): the receipts it pays,
 * the audits of the previous epoch it resolves (a fee transfer per vote) and the audits it opens
 * (an ecrecover and ~9 new storage slots each). Room above gasLoop for each, about twice what
 * they measure. Anvil runs without a block gas limit; a real chain's would need the posting split.
 */
const gasPerPostedReceipt = 50_000n;
const gasPerResolvedAudit = 100_000n;
const gasPerVote = 100_000n;
const gasPerOpenedAudit = 500_000n;
const u256 = (v: unknown): v is bigint => typeof v === 'bigint' && v >= 0n && v < 1n << 256n;
const uint = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const bytes32 = (v: unknown): v is Hex => typeof v === 'string' && /^0x[0-9a-f]{64}$/.test(v);
const address = (v: unknown): v is Address => typeof v === 'string' && /^0x[0-9a-f]{40}$/.test(v);

const call = (
  from: ChainCall['from'],
  to: ChainCall['to'],
  functionName: string,
  args: unknown[],
  gas = gasDefault,
): EncodedAction => ({
  kind: 'call',
  call: { from, to, functionName, args, gas },
});
const bad = (reason: string): EncodedAction => ({ kind: 'unencodable', reason });

/** Translates a model action into the call that performs it on chain. */
export function encodeAction(ctx: EncodeContext, a: Action): EncodedAction {
  switch (a.type) {
    case 'submitJob':
    case 'dispatch':
    case 'leaseJob':
    case 'completeJob':
    case 'failJob':
    case 'expireJobs':
      return { kind: 'offchain' };
    // Proof-of-Availability stays off chain: live runs keep its gate and reward neutral.
    case 'postAvailability':
    case 'closeAvailabilityDay':
      if (ctx.state.params.availabilityRewardMicroUsdcPerDay > 0n)
        return { kind: 'unsupported', reason: 'availability rewards are not on chain' };
      return { kind: 'offchain' };
    default:
      return encodeOnChain(ctx, a);
  }
}

function encodeOnChain(ctx: EncodeContext, a: Action): EncodedAction {
  const actor = (m: unknown) => (address(m) ? { actor: m } : null);
  switch (a.type) {
    case 'deposit':
      if (!actor(a.account) || !u256(a.amount) || (a.asset !== 'usdc' && a.asset !== 'one'))
        return bad('deposit fields');
      return call('keeper', a.asset, 'mint', [ctx.chainOf(a.account), a.amount]);
    case 'withdraw':
      if (!actor(a.account) || !u256(a.amount) || (a.asset !== 'usdc' && a.asset !== 'one'))
        return bad('withdraw fields');
      return call({ actor: a.account }, a.asset, 'burn', [a.amount]);
    case 'fundTreasury':
      if (!actor(a.from) || !u256(a.amountMicroUsdc)) return bad('fundTreasury fields');
      return call({ actor: a.from }, 'protocol', 'fundTreasury', [a.amountMicroUsdc]);
    case 'stake':
    case 'unstake':
      if (!actor(a.holder) || !u256(a.amountOneWei)) return bad(`${a.type} fields`);
      return call({ actor: a.holder }, 'protocol', a.type, [a.amountOneWei]);
    case 'claimUnbonded':
      if (!actor(a.holder)) return bad('holder');
      return call({ actor: a.holder }, 'protocol', 'claimUnbonded', [], gasLoop);
    case 'startDay':
      if (!uint(a.day)) return bad('day');
      return call('keeper', 'protocol', 'startDay', [BigInt(a.day)], gasLoop);
    case 'reserve':
      return encodeReserve(ctx, a);
    case 'endReservation':
      return encodeEndReservation(ctx, a);
    case 'settle':
      return encodeSettle(ctx, a);
    case 'claim':
      return encodeClaim(ctx, a);
    default:
      return encodeRegistryOrGovernance(ctx, a);
  }
}

function encodeReserve(ctx: EncodeContext, a: Extract<Action, { type: 'reserve' }>): EncodedAction {
  const startAtMs = a.startAtMs ?? ctx.nowMs;
  if (!address(a.sponsor) || !u256(a.rateCuPerSec) || !uint(a.durationMs) || !uint(startAtMs))
    return bad('reserve fields');
  if (a.model !== null && !bytes32(a.model)) return bad('reserve model');
  const args = [
    a.model ?? ZERO_HASH,
    a.model === null,
    a.rateCuPerSec,
    BigInt(a.durationMs),
    BigInt(startAtMs),
  ];
  return call({ actor: a.sponsor }, 'protocol', 'reserve', args);
}

/** The operator reports what the reservation's jobs did, from the model's books. */
function encodeEndReservation(
  ctx: EncodeContext,
  a: Extract<Action, { type: 'endReservation' }>,
): EncodedAction {
  if (!uint(a.reservationId)) return bad('reservationId');
  const r = ctx.state.reservations.get(a.reservationId);
  // The model counts a receipt withheld before the end both as delivered and as failed (its
  // escrow is refunded); the chain counts it once, as failed.
  const delivered = (r?.deliveredCu ?? 0n) - (ctx.voidedCu.get(a.reservationId) ?? 0n);
  const facts = [delivered, r?.failedCu ?? 0n, BigInt(r?.openJobs ?? 0)];
  return call('operator', 'protocol', 'endReservation', [BigInt(a.reservationId), ...facts]);
}

function encodeSettle(ctx: EncodeContext, a: Extract<Action, { type: 'settle' }>): EncodedAction {
  if (!uint(a.epoch)) return bad('epoch');
  const s = ctx.state;
  const accepted =
    a.epoch === s.lastSettledEpoch + 1 && ctx.nowMs >= (a.epoch + 1) * s.params.settlementEpochMs;
  const slashed = accepted ? workersSlashedAt(s, a.epoch) : new Set<Address>();
  const posting = settlementPosting(s, a.epoch, ctx.chainOf, slashed);
  if (accepted) {
    ctx.trees.set(a.epoch, posting.tree);
    for (const [id, cu] of posting.voidedOpenCu)
      ctx.voidedCu.set(id, (ctx.voidedCu.get(id) ?? 0n) + cu);
  }
  const args = [BigInt(a.epoch), posting.root, posting.totalNetMicroUsdc, posting.sources];
  const posted = posting.sources.reduce((n, x) => n + x.units.length + x.voidedUnits.length, 0);
  let resolved = 0n;
  for (const audit of s.audits.values())
    if (audit.epoch === a.epoch - 1)
      resolved += gasPerResolvedAudit + BigInt(audit.votes.size) * gasPerVote;
  const gas = gasLoop + BigInt(posted) * gasPerPostedReceipt + resolved;
  const encoded = call('settler', 'protocol', 'settle', [...args, []], gas);
  if (accepted && encoded.kind === 'call')
    encoded.call.finish = (after) => {
      const opened = openedAuditPosts(after, a.epoch, ctx.receipts, ctx.chainOf, ctx.sign);
      return { args: [...args, opened], gas: gas + BigInt(opened.length) * gasPerOpenedAudit };
    };
  return encoded;
}

/** A proof valid in the model's tree becomes the same leaf's proof in the chain's tree. */
function encodeClaim(ctx: EncodeContext, a: Extract<Action, { type: 'claim' }>): EncodedAction {
  if (!uint(a.epoch) || !address(a.worker) || !u256(a.amountMicroUsdc) || !Array.isArray(a.proof))
    return bad('claim fields');
  const s = ctx.state.settlements.get(a.epoch);
  const tree = ctx.trees.get(a.epoch);
  const worker = ctx.chainOf(a.worker);
  let proof = a.proof.map((h) => (bytes32(h) ? h : ZERO_HASH));
  if (s && tree && verifyPayoutProof(s.root, a.worker, a.amountMicroUsdc, a.proof))
    proof = tree.proof(worker, a.amountMicroUsdc);
  return call('keeper', 'protocol', 'claim', [BigInt(a.epoch), worker, a.amountMicroUsdc, proof]);
}

function encodeRegistryOrGovernance(ctx: EncodeContext, a: Action): EncodedAction {
  switch (a.type) {
    case 'registerWorker': {
      if (!address(a.worker) || !Array.isArray(a.models) || !a.models.every(bytes32))
        return bad('registerWorker fields');
      if (!uint(a.slots) || !u256(a.capacityCuPerSec) || !u256(a.bondMicroUsdc))
        return bad('registerWorker numbers');
      // Deployment fields: the contracts' registry has no memory, region or tags.
      for (const field of ['memoryBytes', 'region', 'tags'] as const)
        if (a[field] !== undefined)
          return {
            kind: 'unsupported',
            reason: `registerWorker.${field}: the contracts have no deployments`,
          };
      const att = encodeAttestation(a.attestation, ctx.chainOf, ctx.sign);
      if (!att) return bad('registerWorker attestation');
      const args = [a.models, BigInt(a.slots), a.capacityCuPerSec, a.bondMicroUsdc, att];
      return call({ actor: a.worker }, 'protocol', 'registerWorker', args);
    }
    case 'setWorkerOnline':
      if (!address(a.worker)) return bad('worker');
      return call({ actor: a.worker }, 'protocol', 'setWorkerOnline', [a.online === true]);
    case 'exitWorker':
      if (!address(a.worker)) return bad('worker');
      return call({ actor: a.worker }, 'protocol', 'exitWorker', []);
    case 'withdrawBond': {
      if (!address(a.worker)) return bad('worker');
      const active = BigInt(ctx.state.workers.get(a.worker)?.activeJobs ?? 0);
      return call('operator', 'protocol', 'withdrawBond', [ctx.chainOf(a.worker), active]);
    }
    case 'proposeParams':
      if (!address(a.proposer) || typeof a.changes !== 'object' || a.changes === null)
        return bad('proposeParams fields');
      try {
        const changes = encodeChanges(a.changes as Record<string, unknown>, ctx.chainOf);
        return call({ actor: a.proposer }, 'protocol', 'proposeParams', [changes]);
      } catch (e) {
        if (e instanceof UnencodableParamError) return bad(e.message);
        throw e;
      }
    case 'executeProposal':
      if (!uint(a.proposalId)) return bad('proposalId');
      return call('keeper', 'protocol', 'executeProposal', [BigInt(a.proposalId)]);
    case 'cancelProposal':
      if (!address(a.proposer) || !uint(a.proposalId)) return bad('cancelProposal fields');
      return call({ actor: a.proposer }, 'protocol', 'cancelProposal', [BigInt(a.proposalId)]);
    default:
      return encodeVerification(ctx, a);
  }
}

function encodeVerification(ctx: EncodeContext, a: Action): EncodedAction {
  switch (a.type) {
    case 'renewAttestation': {
      const att = address(a.worker)
        ? encodeAttestation(a.attestation, ctx.chainOf, ctx.sign)
        : null;
      if (!att?.present) return bad('renewAttestation fields');
      return call({ actor: a.worker }, 'protocol', 'renewAttestation', [att]);
    }
    case 'topUpBond':
      if (!address(a.worker) || !u256(a.amountMicroUsdc)) return bad('topUpBond fields');
      return call({ actor: a.worker }, 'protocol', 'topUpBond', [a.amountMicroUsdc]);
    case 'releaseJail':
      if (!address(a.worker)) return bad('worker');
      return call({ actor: a.worker }, 'protocol', 'releaseJail', []);
    case 'registerOracle':
    case 'removeOracle':
      if (!address(a.proposer) || !address(a.oracle)) return bad(`${a.type} fields`);
      return call({ actor: a.proposer }, 'protocol', a.type, [ctx.chainOf(a.oracle)]);
    case 'auditVerdict':
      if (!address(a.oracle) || !uint(a.jobId) || !bytes32(a.resultHash))
        return bad('auditVerdict fields');
      return call({ actor: a.oracle }, 'protocol', 'auditVerdict', [BigInt(a.jobId), a.resultHash]);
    default:
      return {
        kind: 'unsupported',
        reason: `${(a as { type?: unknown }).type} has no on-chain counterpart yet`,
      };
  }
}
