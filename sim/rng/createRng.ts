import { deriveStreamSeed, type RootSeed } from './deriveStreamSeed.ts';
import { RngUsageError } from './rngErrors.ts';
import { RngStream } from './rngStream.ts';

export type CreateRngParameters = { seed: RootSeed };

export type Rng = {
  readonly seed: RootSeed;
  /** The stream for one concern; the same name returns the same (stateful) stream. */
  stream(name: string): RngStream;
};

/** Root of all randomness in a run: one seed, split by name into independent streams. */
export function createRng(parameters: CreateRngParameters): Rng {
  const { seed } = parameters;
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
    throw new RngUsageError({
      field: 'seed',
      value: seed,
      reason: 'must be a finite number or a string',
    });
  }
  // A Map keeps creation order, but nothing depends on it: each stream is derived from its name.
  const streams = new Map<string, RngStream>();
  return {
    seed,
    stream(name: string): RngStream {
      let stream = streams.get(name);
      if (stream === undefined) {
        if (name.length === 0)
          throw new RngUsageError({ field: 'name', value: '""', reason: 'must not be empty' });
        stream = new RngStream({ name, streamSeed: deriveStreamSeed({ seed, name }) });
        streams.set(name, stream);
      }
      return stream;
    },
  };
}
