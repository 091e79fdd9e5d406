import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../rng/createRng.ts';
import * as api from './createEngine.ts';
import { createEngine } from './createEngine.ts';
import { EngineBoundError, EngineUsageError } from './engineErrors.ts';

describe('createEngine', () => {
  it('pins the public exports', () => {
    expect(Object.keys(api).sort()).toEqual(['EventEngine', 'createEngine']);
  });

  it('dispatches by kind in (time, seq) order; same-time events run in schedule order', () => {
    const engine = createEngine({ eventsMax: 100, queueMax: 100 });
    const trace: string[] = [];
    const a = engine.defineKind((payload, nowMs) => trace.push(`a${payload}@${nowMs}`));
    const b = engine.defineKind((payload, nowMs) => trace.push(`b${payload}@${nowMs}`));
    engine.schedule(10, b, 1);
    engine.schedule(5, a, 2);
    engine.schedule(10, a, 3);
    engine.schedule(10, b, 4);
    const result = engine.run();
    expect(trace).toEqual(['a2@5', 'b1@10', 'a3@10', 'b4@10']);
    expect(result).toEqual({ reason: 'empty', eventsProcessed: 4, nowMs: 10 });
  });

  it('runs events scheduled for "now" by a handler after the ones already queued for now', () => {
    const engine = createEngine({ eventsMax: 100, queueMax: 100 });
    const trace: number[] = [];
    const k = engine.defineKind((payload, nowMs) => {
      trace.push(payload);
      if (payload === 1) engine.schedule(nowMs, k, 3);
    });
    engine.schedule(0, k, 1);
    engine.schedule(0, k, 2);
    engine.run();
    expect(trace).toEqual([1, 2, 3]);
  });

  // Same-time events bypass the heap (a FIFO beside it): against a plain sorted list of
  // (time, seq), the order must not change, whatever mix of delays, run bounds, budgets and stops.
  it('runs events in (time, seq) order like a sorted list, with events for "now" from handlers and between runs', () => {
    const seed = Number(process.env.ONESIM_FC_SEED ?? 20261208);
    const step = fc.record({
      untilAhead: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
      budget: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      stopAt: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
      between: fc.array(fc.constantFrom(0, 0, 1, 3), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(0, 0, 0, 1, 2, 7), { maxLength: 6 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        (initial, delays, steps) => {
          // Event p, when it runs, schedules children at now + delays[(p + j) % n] for j < p % 3.
          const engine = createEngine({ eventsMax: 400, queueMax: 400 });
          const seen: string[] = [];
          let next = 0;
          let stopAt: number | undefined;
          const k = engine.defineKind((p, nowMs) => {
            seen.push(`${p}@${nowMs}`);
            if (p === stopAt) engine.stop();
            for (let j = 0; j < p % 3 && delays.length > 0 && next < 300; j++)
              engine.schedule(nowMs + delays[(p + j) % delays.length]!, k, next++);
          });
          // The reference: pending (time, seq, payload), the smallest (time, seq) first.
          const want: string[] = [];
          const pending: Array<[number, number, number]> = [];
          let nowMs = 0;
          let seq = 0;
          let refNext = 0;
          const refSchedule = (at: number, p: number) => pending.push([at, seq++, p]);
          const refRun = (untilMs: number, budget: number) => {
            let n = 0;
            for (;;) {
              pending.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
              const top = pending[0];
              if (!top) {
                if (untilMs !== Number.POSITIVE_INFINITY) nowMs = untilMs;
                return;
              }
              if (top[0] > untilMs) {
                nowMs = untilMs;
                return;
              }
              if (n >= budget) return;
              pending.shift();
              n += 1;
              nowMs = top[0];
              want.push(`${top[2]}@${nowMs}`);
              for (let j = 0; j < top[2] % 3 && delays.length > 0 && refNext < 300; j++)
                refSchedule(nowMs + delays[(top[2] + j) % delays.length]!, refNext++);
              if (top[2] === stopAt) return;
            }
          };
          for (const t of initial) {
            engine.schedule(t, k, next++);
            refSchedule(t, refNext++);
          }
          for (const st of steps) {
            for (const d of st.between) {
              engine.schedule(engine.nowMs + d, k, next++);
              refSchedule(nowMs + d, refNext++);
            }
            stopAt = st.stopAt;
            const untilMs = st.untilAhead === undefined ? undefined : engine.nowMs + st.untilAhead;
            const r = engine.run({ untilMs, eventsBudget: st.budget });
            refRun(untilMs ?? Number.POSITIVE_INFINITY, st.budget ?? Number.POSITIVE_INFINITY);
            expect(seen).toEqual(want);
            expect(r.nowMs).toBe(nowMs);
            expect(engine.queueSize).toBe(pending.length);
          }
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it('run({ untilMs }) stops before later events and moves the clock to untilMs', () => {
    const engine = createEngine({ eventsMax: 100, queueMax: 100 });
    const seen: number[] = [];
    const k = engine.defineKind((_p, nowMs) => seen.push(nowMs));
    for (const t of [1, 5, 10, 11]) engine.schedule(t, k);
    expect(engine.run({ untilMs: 10 })).toEqual({ reason: 'until', eventsProcessed: 3, nowMs: 10 });
    expect(seen).toEqual([1, 5, 10]);
    expect(engine.queueSize).toBe(1);
    expect(engine.run({ untilMs: 50 })).toEqual({ reason: 'empty', eventsProcessed: 1, nowMs: 50 });
  });

  it('stop() returns after the current event; eventsBudget yields and resumes', () => {
    const engine = createEngine({ eventsMax: 100, queueMax: 100 });
    const k = engine.defineKind((payload) => {
      if (payload === 2) engine.stop();
    });
    for (let i = 0; i < 6; i++) engine.schedule(i, k, i);
    expect(engine.run()).toMatchObject({ reason: 'stopped', eventsProcessed: 3, nowMs: 2 });
    expect(engine.run({ eventsBudget: 2 })).toMatchObject({ reason: 'budget', eventsProcessed: 2 });
    expect(engine.run()).toMatchObject({ reason: 'empty', eventsProcessed: 1, nowMs: 5 });
    expect(engine.eventsProcessed).toBe(6);
  });

  it('closure API: at/after run callbacks in order and reuse slots', () => {
    const engine = createEngine({ eventsMax: 1000, queueMax: 10 });
    const trace: string[] = [];
    engine.at(3, () => trace.push(`x@${engine.nowMs}`));
    engine.at(1, () => {
      trace.push(`y@${engine.nowMs}`);
      engine.after(1, () => trace.push(`z@${engine.nowMs}`));
    });
    engine.run();
    expect(trace).toEqual(['y@1', 'z@2', 'x@3']);
  });

  it('throws EngineBoundError naming eventsMax and its value when the event budget is exhausted', () => {
    const engine = createEngine({ eventsMax: 5, queueMax: 10 });
    const k = engine.defineKind((_p, nowMs) => engine.schedule(nowMs + 1, k));
    engine.schedule(0, k);
    const error = captureError(() => engine.run());
    expect(error).toBeInstanceOf(EngineBoundError);
    expect(error).toMatchObject({ bound: 'eventsMax', value: 5, nowMs: 5 });
    expect((error as Error).message).toContain('eventsMax=5');
    expect(engine.eventsProcessed).toBe(5);
  });

  it('throws EngineBoundError naming queueMax when the queue is full', () => {
    const engine = createEngine({ eventsMax: 10, queueMax: 3 });
    const k = engine.defineKind(() => {});
    for (let i = 0; i < 3; i++) engine.schedule(i, k);
    const error = captureError(() => engine.schedule(9, k));
    expect(error).toBeInstanceOf(EngineBoundError);
    expect((error as Error).message).toContain('queueMax=3');
  });

  it('rejects past, fractional and non-finite times, unknown kinds and bad bounds', () => {
    const engine = createEngine({ eventsMax: 10, queueMax: 10 });
    const k = engine.defineKind(() => {});
    engine.schedule(5, k);
    engine.run();
    for (const atMs of [4, 5.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => engine.schedule(atMs, k)).toThrow(EngineUsageError);
    }
    expect(() => engine.schedule(6, 99)).toThrow(/kind=99/);
    expect(() => createEngine({ eventsMax: 0, queueMax: 1 })).toThrow(/eventsMax=0/);
    expect(() => createEngine({ eventsMax: 1, queueMax: 1.5 })).toThrow(/queueMax=1.5/);
  });

  it('is deterministic: the same seed gives the same event trace, another seed a different one', () => {
    const first = randomTrace('seed-a');
    expect(randomTrace('seed-a')).toEqual(first);
    expect(randomTrace('seed-b')).not.toEqual(first);
    for (let i = 1; i < first.length; i++)
      expect(first[i]![0]).toBeGreaterThanOrEqual(first[i - 1]![0]);
  });
  it('keeps the clock exact past 2^31 ms, where it stops being held as an int32', () => {
    const e = createEngine({ queueMax: 16, eventsMax: 100 });
    const seen: Array<[number, number]> = [];
    const k = e.defineKind((_payload, nowMs) => seen.push([e.nowMs, nowMs]));
    const times = [0, 5, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 5, 2 ** 32 + 1, 2 ** 40, 2 ** 53 - 1];
    for (const t of times) e.schedule(t, k);
    e.run();
    expect(seen).toEqual(times.map((t) => [t, t]));
  });
});

// A small random model: each event spawns 0-2 children at random delays, often tied in time.
function randomTrace(seed: string): Array<[number, number]> {
  const stream = createRng({ seed }).stream('model');
  const engine = createEngine({ eventsMax: 5000, queueMax: 5000 });
  const trace: Array<[number, number]> = [];
  let nextId = 0;
  const k = engine.defineKind((payload, nowMs) => {
    trace.push([nowMs, payload]);
    const children = stream.int(0, 2);
    for (let i = 0; i < children && nextId < 2000; i++) {
      engine.schedule(nowMs + stream.int(0, 3), k, nextId++);
    }
  });
  for (let i = 0; i < 10; i++) engine.schedule(stream.int(0, 5), k, nextId++);
  engine.run();
  return trace;
}

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
