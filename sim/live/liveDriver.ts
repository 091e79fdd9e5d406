import { type Abi, type Address, encodeFunctionData, type Hex } from 'viem';
import type { Action } from '../../protocol/actions.ts';
import { createActor } from '../../protocol/actor.ts';
import { InputError } from '../../protocol/errors.ts';
import type { PayoutTree } from '../../protocol/merkle/payoutTree.ts';
import type { Params } from '../../protocol/params.ts';
import { receiptDomain } from '../../protocol/receipts/eip712.ts';
import type { Receipt, ReceiptSigner, ReceiptVerifier } from '../../protocol/receipts/receipt.ts';
import {
  createSecp256k1Signer,
  signAttestation,
} from '../../protocol/receipts/secp256k1Verifier.ts';
import { simVerifier } from '../../protocol/receipts/simVerifier.ts';
import { createState } from '../../protocol/state.ts';
import type { StepResult } from '../../protocol/step.ts';
import type { State } from '../../protocol/types.ts';
import type { AddressBook, ChainAccount } from './accounts.ts';
import { chainProjection } from './chainProjection.ts';
import type { Deployment, RpcReceipt } from './deploy.ts';
import { type ChainCall, type EncodeContext, encodeAction } from './encodeAction.ts';
import type { LiveSigners } from './encodeVerification.ts';
import { modelProjection } from './modelProjection.ts';
import { firstDifference } from './projection.ts';
import { revertData, revertName } from './revertReason.ts';
import { type Rpc, RpcError } from './rpc.ts';
import { createLiveStats, type LiveStats } from './stats.ts';

/** Where model and chain first disagree. */
export interface Divergence {
  /** Index of the action (in the run's stream) at or before which they disagree. */
  index: number;
  atMs: number;
  actionType: string;
  field: string;
  model: string;
  chain: string;
}

export class LiveDivergenceError extends Error {
  override name = 'LiveDivergenceError';
  constructor(readonly divergence: Divergence) {
    const d = divergence;
    super(
      `action ${d.index} (${d.actionType} at ${d.atMs} ms): ${d.field}: model ${d.model}, chain ${d.chain}`,
    );
  }
}

/** Bad input to the driver (not a disagreement): times that go back or are not whole seconds. */
export class LiveInputError extends InputError {
  override name = 'LiveInputError';
  constructor(
    override readonly field: string,
    readonly value: unknown,
    message: string,
  ) {
    super(`${field} = ${String(value)}: ${message}`, field);
  }
}

/** The run needs a rule the contracts do not implement yet (the verification layer). */
export class LiveUnsupportedError extends InputError {
  override name = 'LiveUnsupportedError';
  constructor(
    override readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`, field);
  }
}

interface PendingTx {
  index: number;
  atMs: number;
  label: string;
  raw: Hex;
  /** null: a setup transaction (token approval) that must succeed. */
  expected: { ok: true } | { ok: false; code: string } | null;
}

export interface LiveDriverParameters {
  rpc: Rpc;
  deployment: Deployment;
  book: AddressBook;
  params: Params;
  /** For the EIP-712 domain of attestations and receipts: {ONE, 1, chainId, the protocol}. */
  chainId: number;
  /**
   * The model's signature checks. Default: the simulator's (the driver re-signs what the chain
   * checks). Another verifier means real EIP-712 signatures in the contract's domain by keys
   * whose model address is their chain address (AddressBook.pin): they go to the chain as is.
   */
  verifier?: ReceiptVerifier;
  /** Transactions per block before the driver mines one early (same timestamp). */
  txsPerBlockMax?: number;
}

/** Outcomes are read back in bulk: after this many transactions or blocks, and at each check. */
const verifyEveryTxs = 4_000;
const verifyEveryBlocks = 500;

const maxUint256 = (1n << 256n) - 1n;
/** Ether a new actor receives for gas (prices stay below a few thousand wei). */
const gasMoneyWei = 10n ** 18n;

/**
 * Applies each action to the TS model and, when it has an on-chain part, sends the matching
 * transaction; compares accept/reject (and the rejection code with the custom error) per
 * transaction (read back in bulk after mining), and the projections on `check`. Throws
 * LiveDivergenceError at the first disagreement.
 */
export function createLiveDriver(p: LiveDriverParameters) {
  const { rpc, deployment: dep, book } = p;
  const env = { verifier: p.verifier ?? simVerifier };
  const state: State = createState(p.params);
  const actor = createActor({ state, env, onAccepted: (_atMs, action) => remember(action) });
  const txsPerBlockMax = p.txsPerBlockMax ?? 2_000;
  // Room for the setup transactions an action may add after the block is full.
  const priceTop = txsPerBlockMax + 16;
  const errorAbi = [...dep.abis.protocol, ...dep.abis.token] as Abi;
  const trees = new Map<number, PayoutTree>();
  const rootCache = new Map<number, Hex>();
  const nonces = new Map<Address, number>();
  const stats: LiveStats = createLiveStats();
  let pending: PendingTx[] = [];
  let unverified: Array<{ number: number; batch: PendingTx[]; hashes: Hex[] }> = [];
  let unverifiedTxs = 0;
  let blockNumber = -1;
  let blockMs = 0;
  let lastIndex = -1;
  let lastAction: { atMs: number; type: string } = { atMs: 0, type: 'none' };
  /** The signature of each remembered receipt, by job id (real signatures pass through). */
  const receiptSignatures = new Map<number, Hex>();
  const encodeCtx: Omit<EncodeContext, 'nowMs'> = {
    state,
    chainOf: book.chainOf,
    trees,
    sign:
      env.verifier === simVerifier
        ? liveSigners(book, receiptDomain(p.chainId, dep.protocol))
        : passThroughSigners(receiptSignatures),
    receipts: new Map<number, Receipt>(),
    voidedCu: new Map(),
  };

  /**
   * Anvil may interleave the sends of one batch, but it mines by gas price: a block's i-th
   * transaction pays `priceTop − i` wei per gas, so the block holds them in the driver's order.
   */
  function signed(
    acct: ChainAccount,
    tx: { to: Address; data?: Hex; gas: bigint; value?: bigint },
  ): Hex {
    const nonce = nonces.get(acct.address)!;
    nonces.set(acct.address, nonce + 1);
    const gasPrice = BigInt(priceTop - pending.length);
    return acct.signer.sign({ nonce, gasPrice, ...tx });
  }

  async function loadNonce(acct: ChainAccount): Promise<void> {
    nonces.set(
      acct.address,
      Number(await rpc.call<Hex>('eth_getTransactionCount', [acct.address, 'pending'])),
    );
  }

  /**
   * The sending account. A new actor first gets gas money from the keeper (when it has none)
   * and approves the protocol for both tokens: setup transactions, expected to succeed.
   */
  async function sender(
    from: ChainCall['from'],
    index: number,
    atMs: number,
  ): Promise<ChainAccount> {
    const acct = typeof from === 'string' ? book.role(from) : book.actor(from.actor);
    if (nonces.has(acct.address)) return acct;
    await loadNonce(acct);
    if (typeof from === 'string') return acct;
    const keeper = book.role('keeper');
    if (!nonces.has(keeper.address)) await loadNonce(keeper);
    const setup = (label: string, raw: Hex) =>
      pending.push({ index, atMs, label, raw, expected: null });
    if (
      BigInt(await rpc.call<Hex>('eth_getBalance', [acct.address, 'latest'])) <
      gasMoneyWei / 2n
    ) {
      setup('fund', signed(keeper, { to: acct.address, value: gasMoneyWei, gas: 21_000n }));
      // Mined now (same timestamp): nodes check a sender's balance when a transaction arrives.
      await flush();
    }
    for (const token of [dep.one, dep.usdc]) {
      const data = encodeFunctionData({
        abi: dep.abis.token,
        functionName: 'approve',
        args: [dep.protocol, maxUint256],
      });
      setup('approve', signed(acct, { to: token, data, gas: 100_000n }));
    }
    return acct;
  }

  function diverge(
    d: Omit<Divergence, 'actionType' | 'atMs'> & { atMs?: number; actionType?: string },
  ): never {
    throw new LiveDivergenceError({ atMs: lastAction.atMs, actionType: lastAction.type, ...d });
  }

  /** Applies one action to the model now and queues its transaction; returns the model's result. */
  async function apply(index: number, atMs: number, action: Action): Promise<StepResult> {
    if (!Number.isSafeInteger(atMs) || atMs % 1000 !== 0)
      throw new LiveInputError('atMs', atMs, 'live runs act on whole seconds (block timestamps)');
    if (atMs < blockMs)
      throw new LiveInputError('atMs', atMs, `time went back (block at ${blockMs} ms)`);
    if (atMs > blockMs) {
      await flush();
      blockMs = atMs;
    }
    lastIndex = index;
    lastAction = { atMs, type: action.type };
    const encoded = encodeAction({ ...encodeCtx, nowMs: atMs }, action);
    const acct = encoded.kind === 'call' ? await sender(encoded.call.from, index, atMs) : null;
    const result = actor.act(action, atMs);
    stats.count(action.type, result.ok ? null : result.code, encoded.kind);
    if (encoded.kind === 'unencodable') {
      if (result.ok)
        diverge({
          index,
          field: 'encoding',
          model: 'accepted',
          chain: `cannot express: ${encoded.reason}`,
        });
      return result;
    }
    if (encoded.kind === 'offchain') return result;
    if (encoded.kind === 'unsupported') {
      if (result.ok) throw new LiveUnsupportedError(action.type, encoded.reason);
      return result;
    }
    const c = encoded.call;
    const to = c.to === 'protocol' ? dep.protocol : c.to === 'one' ? dep.one : dep.usdc;
    const abi = c.to === 'protocol' ? dep.abis.protocol : dep.abis.token;
    const { args, gas } = c.finish && result.ok ? c.finish(state) : c;
    const data = encodeFunctionData({ abi, functionName: c.functionName, args });
    const expected = result.ok
      ? ({ ok: true } as const)
      : ({ ok: false, code: result.code } as const);
    pending.push({
      index,
      atMs,
      label: action.type,
      raw: signed(acct!, { to, data, gas }),
      expected,
    });
    if (pending.length >= txsPerBlockMax) await flush();
    return result;
  }

  /** Receipts of completed jobs until they settle: a settlement may sample them for audit. */
  function remember(action: Action): void {
    const receipts = encodeCtx.receipts as Map<number, Receipt>;
    if (action.type === 'completeJob') {
      receipts.set(action.receipt.jobId, action.receipt);
      receiptSignatures.set(action.receipt.jobId, action.signature);
    }
    if (action.type === 'settle')
      for (const id of receipts.keys())
        if (!state.jobs.has(id) && !state.audits.has(id)) {
          receipts.delete(id);
          receiptSignatures.delete(id);
        }
  }

  /** Sends the pending transactions and mines them in one block at the current time. */
  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    if (blockNumber < 0) blockNumber = Number(await rpc.call<Hex>('eth_blockNumber'));
    const hashes = (await rpc.batch(
      batch.map((t) => ({ method: 'eth_sendRawTransaction', params: [t.raw] })),
    )) as Hex[];
    // A separate request: Anvil may run the calls of one batch concurrently.
    await rpc.call('evm_mine', [{ timestamp: dep.genesisTimestampSec + blockMs / 1000 }]);
    blockNumber += 1;
    stats.block(batch.length);
    unverified.push({ number: blockNumber, batch, hashes });
    unverifiedTxs += batch.length;
    if (unverifiedTxs >= verifyEveryTxs || unverified.length >= verifyEveryBlocks) await verify();
  }

  /** Reads the receipts of the mined blocks and compares each transaction's outcome, in order. */
  async function verify(): Promise<void> {
    const blocks = unverified;
    unverified = [];
    unverifiedTxs = 0;
    if (blocks.length === 0) return;
    const receiptLists = (await rpc.batch(
      blocks.map((b) => ({
        method: 'eth_getBlockReceipts',
        params: [`0x${b.number.toString(16)}`],
      })),
    )) as RpcReceipt[][];
    blocks.forEach((b, i) => {
      const rs = receiptLists[i] ?? [];
      if (rs.length !== b.batch.length || rs.some((r, j) => r.transactionHash !== b.hashes[j]))
        throw new RpcError(
          'evm_mine',
          `block ${b.number} holds ${rs.length} transactions, ${b.batch.length} were sent in order`,
        );
    });
    const all = receiptLists.flat();
    const failed = all.filter((r) => r.status !== '0x1').map((r) => r.transactionHash);
    const reverts = new Map<Hex, string>();
    if (failed.length > 0) {
      const data = await revertData(rpc, failed);
      for (const [i, h] of failed.entries()) reverts.set(h, revertName(errorAbi, data[i]));
    }
    const txs = blocks.flatMap((b) => b.batch);
    for (const [i, r] of all.entries()) compareOutcome(txs[i]!, r, reverts.get(r.transactionHash));
  }

  function compareOutcome(t: PendingTx, r: RpcReceipt, revert: string | undefined): void {
    if (revert === undefined) stats.gas(t.label, BigInt(r.gasUsed)); // gas of accepted transactions
    const at = { index: t.index, atMs: t.atMs, actionType: t.label };
    if (t.expected === null) {
      if (revert !== undefined)
        throw new RpcError('approve', `setup transaction reverted: ${revert}`);
      return;
    }
    if (t.expected.ok && revert !== undefined)
      diverge({ ...at, field: 'outcome', model: 'accepted', chain: `rejected ${revert}` });
    if (!t.expected.ok && revert === undefined)
      diverge({ ...at, field: 'outcome', model: `rejected ${t.expected.code}`, chain: 'accepted' });
    if (!t.expected.ok && revert !== t.expected.code)
      diverge({ ...at, field: 'rejection', model: t.expected.code, chain: revert! });
  }

  /** Mines what is pending and compares the whole projection. */
  async function check(): Promise<void> {
    await flush();
    await verify();
    stats.checks += 1;
    const actors = book.actors();
    const model = modelProjection(state, { actors, chainOf: book.chainOf, rootCache });
    const epochs = [...state.settlements.keys()].sort((a, b) => a - b);
    const payoutWorkers = [
      ...new Set([...state.settlements.values()].flatMap((s) => [...s.payouts.keys()])),
    ].map(book.chainOf);
    const chain = await chainProjection({
      rpc,
      protocol: dep.protocol,
      abi: dep.abis.protocol,
      actors,
      chainOf: book.chainOf,
      modelOf: (a) => book.modelOf(a),
      epochs,
      payoutWorkers,
      auditJobIds: [...state.audits.keys()].sort((a, b) => a - b),
    });
    const d = firstDifference(model, chain);
    if (d) diverge({ index: lastIndex, ...d });
  }

  return { state, stats, apply, flush, verify, check };
}

export type LiveDriver = ReturnType<typeof createLiveDriver>;

/** Real secp256k1 signatures by the chain keys of model addresses, in the contract's domain. */
function liveSigners(book: AddressBook, domain: ReturnType<typeof receiptDomain>): LiveSigners {
  const signers = new Map<Address, ReceiptSigner>();
  return {
    // No valid signer: a key that is no attestor's (the keeper's) signs instead.
    attestation: (a, body) =>
      signAttestation(
        typeof a.signature === 'string' && simVerifier.verifyAttestation(a)
          ? book.actor(a.attestor).privateKey
          : book.role('keeper').privateKey,
        body,
        domain,
      ).signature,
    receipt: (worker, receipt) => {
      let s = signers.get(worker);
      if (!s) {
        s = createSecp256k1Signer(book.actor(worker).privateKey, domain);
        signers.set(worker, s);
      }
      return s.sign(receipt);
    },
  };
}

/**
 * Real signatures (model address = chain address, the contract's domain): the chain gets the
 * very bytes the model checked, the attestor's and the worker's own.
 */
function passThroughSigners(receiptSignatures: ReadonlyMap<number, Hex>): LiveSigners {
  return {
    attestation: (a) => a.signature,
    receipt: (_worker, receipt) => {
      const signature = receiptSignatures.get(receipt.jobId);
      if (!signature) throw new Error(`assertion: no signature kept for job ${receipt.jobId}`);
      return signature;
    },
  };
}
