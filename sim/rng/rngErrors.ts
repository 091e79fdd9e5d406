/** A sampler or stream was called with an invalid argument; the message names it. */
export class RngUsageError extends Error {
  override name = 'RngUsageError';
  readonly field: string;
  readonly value: unknown;
  constructor(parameters: { field: string; value: unknown; reason: string }) {
    super(`rng: ${parameters.field}=${String(parameters.value)} ${parameters.reason}`);
    this.field = parameters.field;
    this.value = parameters.value;
  }
}
