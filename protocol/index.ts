// Package entry of the protocol core: the transition function, its data and its checks.
export type { Action, ActionType, Asset } from './actions.ts';
export { actionTypes } from './actions.ts';
export type { ProtocolEvent } from './events.ts';
export { step, applyAction, type StepEnv, type StepResult } from './step.ts';
export { createState, cloneState, epochOf, dayOf } from './state.ts';
export { stateHash } from './stateHash.ts';
export { replayLog, type LoggedAction } from './replay.ts';
export {
  resolveParams,
  checkParams,
  defaultParams,
  paramsSchema,
  immutableParams,
  InvalidParamsError,
  type Params,
  type ParamsInput,
  type AllotmentSchedule,
} from './params.ts';
export { rejectionCodes, type Rejection, type RejectionCode } from './rejections.ts';
export { nominalCredits, treasuryBound, allotmentCu } from './allotment.ts';
export * from './types.ts';
export * from './units.ts';
export { receiptTypes, receiptTypeString, receiptDomain, defaultReceiptDomain, type ReceiptDomain } from './receipts/eip712.ts';
export { createReceiptHasher, receiptStructHash, domainSeparator } from './receipts/hashReceipt.ts';
export { ZERO_HASH, type Receipt, type ReceiptSigner, type ReceiptVerifier } from './receipts/receipt.ts';
export { simVerifier, createSimSigner } from './receipts/simVerifier.ts';
export {
  createSecp256k1Verifier,
  createSecp256k1Signer,
  recoverAddress,
  secp256k1NativeAvailable,
} from './receipts/secp256k1Verifier.ts';
export { buildPayoutTree, verifyPayoutProof, payoutLeaf, EMPTY_ROOT, type PayoutTree } from './merkle/payoutTree.ts';
export {
  checkStateInvariants,
  invariantNames,
  type InvariantName,
  type InvariantViolation,
} from './invariants/stateInvariants.ts';
export { createInvariantChecker, type InvariantChecker } from './invariants/stepInvariants.ts';
