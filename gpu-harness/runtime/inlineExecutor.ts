import type { LoadedModel } from '../models/loadedModel.ts';
import { makeSample } from '../models/sampleInputs.ts';
import { abortError, type Executor, QueueFullError, queuedQueriesMax } from './executor.ts';
import { openSession, ortVersion } from './openSession.ts';
import { runModel } from './runModel.ts';
import type { RuntimeOptions } from './sessionOptions.ts';

/**
 * One session on the calling thread: no hand-off at all, so nearly nothing beyond onnxruntime's
 * own cost, but the thread is busy while a query runs (onnxruntime-node runs sessions
 * synchronously inside a setImmediate). Right for SingleStream and for verifiers; queries
 * issued concurrently simply queue behind each other.
 */
export async function createInlineExecutor(p: {
  model: LoadedModel;
  options: RuntimeOptions;
}): Promise<Executor> {
  const { model, options } = p;
  const { session, choice, placement } = await openSession({ model, options });
  const warmupStarted = performance.now();
  const warmup = makeSample({ model, seed: options.seed, index: 0 });
  for (let i = 0; i < options.warmupIterations; i++)
    await runModel({ session, model, inputs: warmup.inputs });
  const info = { choice, placement, ortVersion, warmupMs: performance.now() - warmupStarted };
  // Queries issued while one runs wait in FIFO order; an idle session runs the query at once.
  let busy = false;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy = false;
  };
  return {
    infos: [info],
    async run(inputs, signal) {
      if (busy) {
        if (waiting.length >= queuedQueriesMax) throw new QueueFullError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      busy = true;
      try {
        if (signal?.aborted) throw abortError(signal);
        return await runModel({ session, model, inputs });
      } finally {
        release();
      }
    },
    close: () => session.release(),
  };
}
