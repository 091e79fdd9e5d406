import { EngineBoundError, EngineUsageError } from './engineErrors.ts';
import { EventHeap } from './eventHeap.ts';

/** Runs one event. `payload` is the number given to `schedule`; index your own arrays with it. */
export type EngineHandler = (payload: number, nowMs: number) => void;

export type CreateEngineParameters = {
  /** Total events the engine may process over its life; one more throws EngineBoundError. */
  eventsMax: number;
  /** Pending events the queue may hold; scheduling one more throws EngineBoundError. */
  queueMax: number;
  /** Virtual time the clock starts at (integer ms, default 0). */
  startMs?: number;
};

export type RunParameters = {
  /** Process events with time <= untilMs, then set the clock to untilMs. Default: until empty. */
  untilMs?: number;
  /** Return (reason 'budget') after this many events in this call: a cheap yield point. */
  eventsBudget?: number;
};

export type RunReturnType = {
  reason: 'empty' | 'until' | 'stopped' | 'budget';
  eventsProcessed: number;
  nowMs: number;
};

export type Engine = EventEngine;

const callbackKind = 0;

/**
 * Discrete-event engine: virtual integer-ms clock, events ordered by (time, seq) where seq
 * is assigned at schedule time, handlers dispatched by small integer kind. The hot path
 * allocates nothing: events live in the typed-array heap, payloads are numbers.
 */
export class EventEngine {
  private readonly heap: EventHeap;
  private readonly handlers: EngineHandler[] = [];
  private readonly eventsMax: number;
  private readonly queueMax: number;
  private clockMs: number;
  private seqNext = 0;
  private processed = 0;
  private stopRequested = false;
  private running = false;
  // Closure API: callbacks sit in slots reused through a free list, so steady-state
  // use of `at`/`after` does not grow memory.
  private readonly callbacks: Array<(() => void) | undefined> = [];
  private readonly callbackSlotsFree: number[] = [];
  /**
   * Events scheduled for the current time, in schedule order (a FIFO beside the heap). They run
   * after every heap event of that time, which was scheduled before the clock got there and so
   * has a smaller seq: the same (time, seq) order as the heap alone. In a simulation ~40 % of
   * events are such (a dispatch after each submission or completion), and each climbed the heap
   * to its root and sank back from it.
   */
  private nowKind = new Int32Array(256);
  private nowPayload = new Float64Array(256);
  private nowHead = 0;
  private nowTail = 0;

  constructor(parameters: CreateEngineParameters) {
    this.eventsMax = requireCount('eventsMax', parameters.eventsMax);
    this.queueMax = requireCount('queueMax', parameters.queueMax);
    this.clockMs = requireTimeMs('startMs', parameters.startMs ?? 0);
    this.heap = new EventHeap({ capacityInitial: 1024, capacityMax: this.queueMax });
    this.handlers.push((slot) => this.runCallback(slot));
  }

  /** Current virtual time in integer ms. */
  get nowMs(): number {
    return this.clockMs;
  }

  /** Events processed since creation (all runs). */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Events currently pending. */
  get queueSize(): number {
    return this.heap.size + this.nowTail - this.nowHead;
  }

  /** Registers a handler and returns its kind, a small integer to pass to `schedule`. */
  defineKind(handler: EngineHandler): number {
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules event `kind` at absolute time `atMs` (integer, >= now); returns its seq. */
  schedule(atMs: number, kind: number, payload = 0): number {
    if (!(atMs >= this.clockMs && atMs <= Number.MAX_SAFE_INTEGER) || Math.floor(atMs) !== atMs) {
      throw new EngineUsageError({
        field: 'atMs',
        value: atMs,
        reason: `must be an integer in [now=${this.clockMs}, 2^53)`,
      });
    }
    if (!(kind >= 0 && kind < this.handlers.length) || (kind | 0) !== kind) {
      throw new EngineUsageError({ field: 'kind', value: kind, reason: 'is not a defined kind' });
    }
    if (this.queueSize >= this.queueMax) {
      throw new EngineBoundError({ bound: 'queueMax', value: this.queueMax, nowMs: this.clockMs });
    }
    const seq = this.seqNext++;
    if (atMs === this.clockMs) this.pushNow(kind, payload);
    else this.heap.push(atMs, seq, kind, payload);
    return seq;
  }

  private pushNow(kind: number, payload: number): void {
    if (this.nowTail === this.nowKind.length) {
      const kinds = new Int32Array(this.nowKind.length * 2);
      const payloads = new Float64Array(this.nowKind.length * 2);
      kinds.set(this.nowKind);
      payloads.set(this.nowPayload);
      this.nowKind = kinds;
      this.nowPayload = payloads;
    }
    this.nowKind[this.nowTail] = kind;
    this.nowPayload[this.nowTail] = payload;
    this.nowTail += 1;
  }

  /** Closure-style convenience: runs `callback` at `atMs`. Allocates; avoid on hot paths. */
  at(atMs: number, callback: () => void): number {
    const slot = this.callbackSlotsFree.pop() ?? this.callbacks.length;
    this.callbacks[slot] = callback;
    try {
      return this.schedule(atMs, callbackKind, slot);
    } catch (error) {
      this.releaseCallback(slot);
      throw error;
    }
  }

  /** Closure-style convenience: runs `callback` after `delayMs` (integer >= 0). */
  after(delayMs: number, callback: () => void): number {
    return this.at(this.clockMs + delayMs, callback);
  }

  /** Asks a running `run` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Processes events in (time, seq) order; see RunParameters for when it returns. */
  run(parameters: RunParameters = {}): RunReturnType {
    const untilMs = parameters.untilMs ?? Number.POSITIVE_INFINITY;
    if (untilMs !== Number.POSITIVE_INFINITY) requireTimeMs('untilMs', untilMs);
    if (untilMs < this.clockMs) {
      throw new EngineUsageError({ field: 'untilMs', value: untilMs, reason: 'is in the past' });
    }
    const budget = parameters.eventsBudget ?? Number.POSITIVE_INFINITY;
    if (!(budget >= 0)) {
      throw new EngineUsageError({ field: 'eventsBudget', value: budget, reason: 'must be >= 0' });
    }
    if (this.running) {
      throw new EngineUsageError({
        field: 'run',
        value: 'nested',
        reason: 'run is not re-entrant',
      });
    }
    this.running = true;
    this.stopRequested = false;
    const processedStart = this.processed;
    try {
      const reason = this.loop(untilMs, processedStart + budget);
      if (reason !== 'stopped' && reason !== 'budget' && untilMs !== Number.POSITIVE_INFINITY) {
        this.clockMs = untilMs;
      }
      return { reason, eventsProcessed: this.processed - processedStart, nowMs: this.clockMs };
    } finally {
      this.running = false;
    }
  }

  // The hot loop: no allocation, one indirect call per event.
  private loop(untilMs: number, processedLimit: number): RunReturnType['reason'] {
    const heap = this.heap;
    const handlers = this.handlers;
    let processed = this.processed;
    for (;;) {
      // The same-time FIFO goes once the heap holds nothing more for now; its time is the clock,
      // which run() keeps at or below untilMs.
      const fromNow =
        this.nowHead < this.nowTail && (heap.size === 0 || heap.timeMs[0]! > this.clockMs);
      if (!fromNow && heap.size === 0) return 'empty';
      const timeMs = fromNow ? this.clockMs : heap.timeMs[0]!;
      if (timeMs > untilMs) return 'until';
      if (processed >= processedLimit) return 'budget';
      if (processed >= this.eventsMax) {
        throw new EngineBoundError({ bound: 'eventsMax', value: this.eventsMax, nowMs: timeMs });
      }
      let kind: number;
      let payload: number;
      if (fromNow) {
        const i = this.nowHead++;
        kind = this.nowKind[i]!;
        payload = this.nowPayload[i]!;
        if (this.nowHead === this.nowTail) this.nowHead = this.nowTail = 0;
      } else {
        kind = heap.kind[0]!;
        payload = heap.payload[0]!;
        heap.removeTop();
        // The heap keeps times as doubles. Stored as read, the clock was a boxed double even for
        // small times, and handlers that put it in an integer field of a new object (a receipt's
        // finishedAt) were deoptimised by V8 at every call, hundreds of times in a run (same
        // values either way: times are integers). Below 2^31 (~24.8 days) it is kept as an int32,
        // which V8 stores unboxed.
        this.clockMs = timeMs <= INT32_MAX ? timeMs | 0 : timeMs;
      }
      this.processed = ++processed;
      handlers[kind]!(payload, timeMs);
      if (this.stopRequested) return 'stopped';
    }
  }

  private runCallback(slot: number): void {
    const callback = this.callbacks[slot]!;
    this.releaseCallback(slot);
    callback();
  }

  private releaseCallback(slot: number): void {
    this.callbacks[slot] = undefined;
    this.callbackSlotsFree.push(slot);
  }
}

/** 2^31 − 1: the largest int32 (and V8 small integer in Node's 64-bit builds). */
const INT32_MAX = 0x7fffffff;

/** Creates an engine; throws EngineUsageError for a bad bound or start time. */
export function createEngine(parameters: CreateEngineParameters): EventEngine {
  return new EventEngine(parameters);
}

function requireCount(field: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value >= 1)) {
    throw new EngineUsageError({ field, value, reason: 'must be a positive safe integer' });
  }
  return value;
}

function requireTimeMs(field: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value >= 0)) {
    throw new EngineUsageError({ field, value, reason: 'must be a non-negative integer ms' });
  }
  return value;
}
