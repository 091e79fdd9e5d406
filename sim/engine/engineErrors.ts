/** Which limit was reached: the engine's ('eventsMax', 'queueMax') or a model's own. */
export type EngineBoundName = 'eventsMax' | 'queueMax' | (string & {});

/**
 * A configured bound was hit. Bounds exist so that a runaway model fails loudly instead of
 * slowing down or eating memory; raise the bound only when the model really needs it.
 */
export class EngineBoundError extends Error {
  override name = 'EngineBoundError';
  readonly bound: EngineBoundName;
  readonly value: number;
  readonly nowMs: number;
  constructor(parameters: { bound: EngineBoundName; value: number; nowMs: number }) {
    super(
      `engine bound ${parameters.bound}=${parameters.value} reached at t=${parameters.nowMs}ms`,
    );
    this.bound = parameters.bound;
    this.value = parameters.value;
    this.nowMs = parameters.nowMs;
  }
}

/** A programmer error in how the engine is called: bad time, unknown kind, bad option. */
export class EngineUsageError extends Error {
  override name = 'EngineUsageError';
  readonly field: string;
  readonly value: unknown;
  constructor(parameters: { field: string; value: unknown; reason: string }) {
    super(`engine: ${parameters.field}=${String(parameters.value)} ${parameters.reason}`);
    this.field = parameters.field;
    this.value = parameters.value;
  }
}
