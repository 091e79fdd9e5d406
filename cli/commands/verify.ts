import type { Command } from 'commander';
import { readReceiptsFile } from '../../gpu-harness/verify/readReceiptsFile.ts';
import {
  type VerifyReceiptsReturnType,
  verifyReceipts,
} from '../../gpu-harness/verify/verifyReceipts.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { onInterrupt } from '../progress.ts';

type VerifyFlags = {
  sampleRate?: string;
  seed?: string;
  worker?: string;
  model?: string;
  json?: boolean;
};

/** The command that reproduces a verdict: every flag that changes it, --worker included. */
export function reproduceCommand(
  file: string,
  o: { seed: number; rate: number; worker?: string; model?: string },
): string {
  const worker = o.worker === undefined ? '' : ` --worker ${o.worker}`;
  const model = o.model === undefined ? '' : ` --model ${o.model}`;
  return `onesim verify ${file} --sample-rate ${o.rate} --seed ${o.seed}${worker}${model}`;
}

function report(
  file: string,
  r: VerifyReceiptsReturnType,
  o: { seed: number; rate: number; worker?: string; model?: string },
): string[] {
  const { seed, rate } = o;
  const s = r.signing;
  const lines = [
    `${file}: ${r.receipts} receipts (EIP-712: ${s.single} signed one by one, ${s.batched} in ${s.batches} signed batches; ed25519 worker format), secp256k1 ${r.backend}`,
    `re-executed ${r.reexecuted} of ${r.sampled.length} sampled (rate ${rate}, seed ${seed})`,
  ];
  if (r.failure) {
    const f = r.failure;
    lines.push(`FAILED at index ${f.index}: ${f.kind} (${f.encoding}): ${f.reason}`);
    const others = r.lineFailures.filter((x) => x !== f).length;
    if (others > 0) lines.push(`(${others} more line failure(s) after it; --json lists them)`);
  } else {
    lines.push('OK: signatures, chains, digests and model hashes check out');
  }
  lines.push(`reproduce: ${reproduceCommand(file, o)}`);
  return lines;
}

async function action(file: string, flags: VerifyFlags): Promise<void> {
  const rate = parseNumber('--sample-rate', flags.sampleRate ?? '0.05', { min: 0, max: 1 });
  const seed = parseNumber('--seed', flags.seed ?? '1', {
    integer: true,
    min: 0,
    max: 2 ** 32 - 1,
  });
  const worker = flags.worker;
  if (worker !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(worker)) {
    throw new UsageError(`--worker=${JSON.stringify(worker)} is not a 0x address`, '--worker');
  }
  const lines = readReceiptsFile(file);
  const interrupt = onInterrupt();
  try {
    const r = await verifyReceipts({
      lines,
      sampleRate: rate,
      seed,
      signal: interrupt.signal,
      expectedWorker: worker as `0x${string}` | undefined,
      ...(flags.model ? { modelFile: flags.model } : {}),
    });
    for (const line of report(file, r, {
      seed,
      rate,
      worker,
      ...(flags.model ? { model: flags.model } : {}),
    }))
      process.stdout.write(`${line}\n`);
    if (flags.json)
      process.stdout.write(`${JSON.stringify({ file, sampleRate: rate, seed, ...r })}\n`);
    process.exitCode = r.ok ? exitCodes.ok : exitCodes.checkFailed;
  } finally {
    interrupt.dispose();
  }
}

/** `onesim verify <receipts.jsonl>`: signatures, chains, digests, model hashes, seeded re-execution. */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Verify a receipts.jsonl from `bench inference`: signatures, chains, digests, re-execution',
    )
    .argument('<receipts>', 'receipts.jsonl file')
    .option('--sample-rate <p>', 'probability of re-executing each receipt, 0..1 (default 0.05)')
    .option('--seed <s>', 'seed of the re-execution sample (default 1)')
    .option('--worker <address>', 'the EIP-712 worker address the receipts must be signed by')
    .option(
      '--model <file.onnx>',
      "an operator's model file, when it moved since the run (default: the path the receipts record)",
    )
    .option('--json', 'print the verdict as one JSON object on the last stdout line')
    .action(action);
}
