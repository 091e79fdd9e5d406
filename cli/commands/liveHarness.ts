import {
  createRuntime,
  getModel,
  inferenceHashesOf,
  makeSample,
  modelNames,
} from '../../gpu-harness/index.ts';
import type { Hex, State } from '../../protocol/types.ts';
import { anvilKey } from '../../sim/live/accounts.ts';
import {
  type HarnessLiveKeys,
  harnessKeyList,
  harnessLiveActions,
  harnessLiveParams,
} from '../../sim/live/harnessActions.ts';
import type { LiveChain } from '../../sim/live/runLive.ts';
import { UsageError } from '../errors.ts';

/**
 * Development keys of the harness run, far from the ones the address book hands out in order:
 * the worker (its receipts' signer), the holder, attestor, governor, funder and three oracles.
 */
export function harnessDevKeys(): HarnessLiveKeys {
  const k = (i: number) => anvilKey(1_000 + i);
  return {
    worker: k(0),
    holder: k(1),
    attestor: k(2),
    governor: k(3),
    funder: k(4),
    oracles: [k(5), k(6), k(7)],
  };
}

export interface HarnessInput {
  params: ReturnType<typeof harnessLiveParams>;
  actions: (state: State, chain: LiveChain) => AsyncGenerator<{ atMs: number; action: never }>;
  pinnedKeys: Hex[];
  close: () => Promise<void>;
}

/**
 * The `harness` scenario: a zoo model on onnxruntime-node does every job (sample i of `seed`),
 * and oracles re-run the sampled ones; see sim/live/harnessActions.ts.
 */
export async function harnessInput(o: {
  model: string;
  jobs: number;
  seed: number;
}): Promise<HarnessInput> {
  if (!modelNames().includes(o.model))
    throw new UsageError(
      `--model=${JSON.stringify(o.model)}: expected one of ${modelNames().join(', ')}`,
      '--model',
    );
  const runtime = await createRuntime({ modelName: o.model, inline: true, warmupIterations: 1 });
  const model = getModel(o.model);
  const keys = harnessDevKeys();
  const execute = async (index: number) => {
    const r = await runtime.infer({ sample: makeSample({ model, seed: o.seed, index }) });
    const { requestHash, resultHash } = inferenceHashesOf(model, r);
    return {
      requestHash: `0x${requestHash}` as Hex,
      resultHash: `0x${resultHash}` as Hex,
      units: BigInt(r.units.cu),
    };
  };
  const p = { keys, modelId: model.idBytes32, execute, jobs: o.jobs };
  return {
    params: harnessLiveParams(keys),
    actions: (state, chain) => harnessLiveActions(p, state, chain) as never,
    pinnedKeys: harnessKeyList(keys),
    close: () => runtime.close(),
  };
}
