// Package entry of the GPU harness: model zoo, runtime, load generator, receipts, verification.
export {
  type BenchInferenceParameters,
  type BenchResult,
  benchInference,
} from './bench/benchInference.ts';
export {
  type BenchParameters,
  benchDefaults,
  defaultOutDir,
  minQueriesDefault,
  reproduceCommand,
} from './bench/benchParameters.ts';
export type { BenchReceiptsSummary } from './bench/benchReceipts.ts';
export { type BenchPlan, type Pilot, planBench } from './bench/planBench.ts';
export { writeBenchOutputs } from './bench/writeBenchOutputs.ts';
export { findServerQps } from './loadgen/findServerQps.ts';
export type { LoadgenResult } from './loadgen/loadgenResult.ts';
export { runLoadgenScenario } from './loadgen/runLoadgenScenario.ts';
export {
  defaultPercentiles,
  type LoadgenScenario,
  loadgenScenarios,
  type SystemUnderTest,
  type TestSettings,
} from './loadgen/testSettings.ts';
export { countFlops, type FlopCount } from './models/countFlops.ts';
export type { LoadedModel, ModelSource } from './models/loadedModel.ts';
export { type LoadModelFileParameters, loadModelFile } from './models/loadModelFile.ts';
export { modelCacheDir } from './models/modelCache.ts';
export { ModelFileError } from './models/modelFile.ts';
export type { ModelSpec, OutputTolerance } from './models/modelSpec.ts';
export { quantisedDigest, tensorDigest } from './models/quantisedDigest.ts';
export {
  getModel,
  listModels,
  modelNames,
  UnknownModelError,
  type ZooModel,
} from './models/registry.ts';
export { makeSample, makeSampleLibrary, type Sample } from './models/sampleInputs.ts';
export {
  type CapacityEntry,
  type CapacityProfile,
  CapacityProfileParseError,
  mergeCapacityEntry,
  parseCapacityProfile,
} from './profile/capacityProfile.ts';
export {
  createReceiptIssuer,
  type ReceiptIssuer,
  type ReceiptSigning,
  receiptSignings,
} from './receipts/createReceiptIssuer.ts';
export { buildDigestMerkleTree, verifyDigestProof } from './receipts/digestMerkleTree.ts';
export {
  type BatchProof,
  batchSizeMax,
  receiptBatchDigest,
  receiptBatchTypeString,
  recoverBatchSigner,
  signReceiptBatch,
  verifyBatchInclusion,
} from './receipts/receiptBatch.ts';
export { inferenceHashesOf, requestHashOf, resultHashOf } from './receipts/receiptDocuments.ts';
export {
  ephemeralKeysNotice,
  keyEnvVars,
  loadReceiptKeys,
  ReceiptKeyError,
  type ReceiptKeys,
} from './receipts/receiptKeys.ts';
export { type ReceiptLine, receiptLineSchema } from './receipts/receiptLine.ts';
export { openReceiptsFile } from './receipts/receiptsFile.ts';
export { createRuntime, type Runtime, type RuntimeInfo } from './runtime/createRuntime.ts';
export type { InferenceResult } from './runtime/inferenceResult.ts';
export { type ExecutionProvider, executionProviders } from './runtime/providers.ts';
export { RuntimeOptionError, type RuntimeOptions } from './runtime/sessionOptions.ts';
export {
  parseReceiptsText,
  ReceiptsFileError,
  readReceiptsFile,
} from './verify/readReceiptsFile.ts';
export { inReexecutionSample } from './verify/reexecuteSample.ts';
export type { VerifyFailure, VerifyFailureKind } from './verify/verifyFailure.ts';
export {
  type VerifyReceiptsReturnType,
  verifyReceipts,
} from './verify/verifyReceipts.ts';
