// Package entry of the protocol core: the transition function, its data and its checks.
export type { Action, ActionType, Asset } from './actions.ts';
export { actionTypes } from './actions.ts';
export { type Actor, type ActorOptions, createActor, type InvariantSchedule } from './actor.ts';
export { allotmentCu, nominalCredits, treasuryBound } from './allotment.ts';
export { InputError, OnesimError } from './errors.ts';
export type { ProtocolEvent } from './events.ts';
export {
  checkStateInvariants,
  type InvariantName,
  type InvariantViolation,
  invariantNames,
} from './invariants/stateInvariants.ts';
export {
  checkDedicatedPriority,
  checkSettlementStep,
  checkSlashingStep,
  createInvariantChecker,
  type InvariantChecker,
} from './invariants/stepInvariants.ts';
export { keccak256, keccakReady } from './keccak.ts';
export {
  buildPayoutTree,
  EMPTY_ROOT,
  type PayoutTree,
  payoutLeaf,
  verifyPayoutProof,
} from './merkle/payoutTree.ts';
export {
  type AllotmentSchedule,
  checkParams,
  defaultParams,
  InvalidParamsError,
  immutableParams,
  type Params,
  type ParamsInput,
  paramsSchema,
  resolveParams,
} from './params.ts';
export { type ChainBreak, type ChainBreakKind, findChainBreak } from './receipts/chainBreak.ts';
export {
  attestationTypeString,
  attestationTypes,
  defaultReceiptDomain,
  type ReceiptDomain,
  receiptDomain,
  receiptTypeString,
  receiptTypes,
} from './receipts/eip712.ts';
export { createReceiptHasher, domainSeparator, receiptStructHash } from './receipts/hashReceipt.ts';
export {
  canonicalJson,
  createOneWorkerSigner,
  digestJson,
  ONE_WORKER_GENESIS,
  type OneWorkerReceipt,
  type OneWorkerReceiptFields,
  type OneWorkerSigner,
  oneWorkerLinkHash,
  oneWorkerSigningPayload,
  sha256Hex,
  verifyOneWorkerReceipt,
} from './receipts/oneWorkerReceipt.ts';
export {
  type Attestation,
  type AttestationBody,
  type Receipt,
  type ReceiptSigner,
  type ReceiptVerifier,
  receiptOfJob,
  ZERO_HASH,
} from './receipts/receipt.ts';
export { recoverAddress, secp256k1NativeAvailable } from './receipts/secp256k1.ts';
export {
  createSecp256k1Signer,
  createSecp256k1Verifier,
  signAttestation,
} from './receipts/secp256k1Verifier.ts';
export { createSimSigner, simVerifier } from './receipts/simVerifier.ts';
export { type Rejection, type RejectionCode, rejectionCodes } from './rejections.ts';
export { type LoggedAction, replayLog } from './replay.ts';
export { cloneState, createState, dayOf, epochOf } from './state.ts';
export { stateHash } from './stateHash.ts';
export { applyAction, type StepEnv, type StepResult, step } from './step.ts';
export * from './types.ts';
export * from './units.ts';
export { drawCommittee, epochRandomness, isSampled } from './verification/audit.ts';
export {
  availabilityConsensus,
  availabilityScore,
  HEARTBEAT_MS,
  medianScore,
} from './verification/availability.ts';
