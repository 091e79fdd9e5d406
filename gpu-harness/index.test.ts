import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API of gpu-harness/', () => {
  it('exports exactly this list (a change here must be deliberate)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "CapacityProfileParseError",
        "ReceiptKeyError",
        "ReceiptsFileError",
        "RuntimeOptionError",
        "UnknownModelError",
        "batchSizeMax",
        "benchDefaults",
        "benchInference",
        "buildDigestMerkleTree",
        "createReceiptIssuer",
        "createRuntime",
        "defaultOutDir",
        "defaultPercentiles",
        "ephemeralKeysNotice",
        "executionProviders",
        "findServerQps",
        "getModel",
        "isSampled",
        "keyEnvVars",
        "listModels",
        "loadReceiptKeys",
        "makeSample",
        "makeSampleLibrary",
        "mergeCapacityEntry",
        "minQueriesDefault",
        "modelNames",
        "openReceiptsFile",
        "parseCapacityProfile",
        "parseReceiptsText",
        "quantisedDigest",
        "readReceiptsFile",
        "receiptBatchDigest",
        "receiptBatchTypeString",
        "receiptLineSchema",
        "receiptSignings",
        "recoverBatchSigner",
        "reproduceCommand",
        "requestHashOf",
        "resultHashOf",
        "runScenario",
        "scenarios",
        "signReceiptBatch",
        "tensorDigest",
        "verifyBatchInclusion",
        "verifyDigestProof",
        "verifyReceipts",
        "writeBenchOutputs",
      ]
    `);
  });
});
