import { join } from 'node:path';
import { defaultReceiptDomain, type ReceiptDomain } from '../../protocol/index.ts';
import type { ZooModel } from '../models/registry.ts';
import { createReceiptIssuer, type ReceiptSigning } from '../receipts/createReceiptIssuer.ts';
import { ephemeralKeysNotice, type ReceiptKeys } from '../receipts/receiptKeys.ts';
import { createReceiptPipeline } from '../receipts/receiptPipeline.ts';
import { openReceiptsFile } from '../receipts/receiptsFile.ts';
import type { Runtime } from '../runtime/createRuntime.ts';

/** What result.json says about the receipts written beside it. */
export type BenchReceiptsSummary = {
  path: string;
  count: number;
  signing: ReceiptSigning;
  batchSize: number | null;
  keySource: ReceiptKeys['source'];
  /** False with ephemeral keys: nobody can tie the receipts to a known worker. */
  attributable: boolean;
  notice: string | null;
  workers: { eip712: string; one: string };
  domain: ReceiptDomain;
};

export type BenchReceipts = {
  /** The runtime with every inference receipted (pilots and search probes included). */
  sut: Pick<Runtime, 'infer'>;
  /** Signs what is pending, closes the last batch and renames the file into place. */
  finish: () => Promise<BenchReceiptsSummary>;
};

export type OpenBenchReceiptsParameters = {
  runtime: Runtime;
  model: ZooModel;
  keys: ReceiptKeys;
  signing: ReceiptSigning;
  batchSize: number;
  inputSeed: number;
  outDir: string;
};

/** Streams receipts.jsonl into `outDir` for every inference the runtime answers. */
export function openBenchReceipts(p: OpenBenchReceiptsParameters): BenchReceipts {
  const path = join(p.outDir, 'receipts.jsonl');
  const file = openReceiptsFile(path);
  const domain = defaultReceiptDomain;
  const issuer = createReceiptIssuer({
    keys: p.keys,
    model: p.model,
    inputSeed: p.inputSeed,
    signing: p.signing,
    batchSize: p.batchSize,
    domain,
    onLines: file.write,
  });
  const pipeline = createReceiptPipeline(issuer);
  return {
    sut: {
      infer: async (q) => {
        const result = await p.runtime.infer(q);
        pipeline.push(result);
        return result;
      },
    },
    async finish() {
      try {
        await pipeline.finish();
      } finally {
        file.close();
      }
      const ephemeral = p.keys.source === 'ephemeral';
      return {
        path,
        count: issuer.issued(),
        signing: p.signing,
        batchSize: p.signing === 'batch' ? p.batchSize : null,
        keySource: p.keys.source,
        attributable: !ephemeral,
        notice: ephemeral ? ephemeralKeysNotice : null,
        workers: issuer.workers,
        domain,
      };
    },
  };
}
