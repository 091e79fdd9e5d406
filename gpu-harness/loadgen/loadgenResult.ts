import {
  type ServerEarlyStopping,
  type SingleStreamEarlyStopping,
  serverEarlyStopping,
  singleStreamEarlyStopping,
} from './earlyStopping.ts';
import { type LatencySummary, summariseLatencies } from './latencySummary.ts';
import type { LoadgenScenario, QueryRecord, Slo, TestSettings } from './testSettings.ts';

/** LoadGen's validity checklist; `reasons` says what to change when something fails. */
export type Validity = {
  valid: boolean;
  minDurationMet: boolean;
  minQueriesMet: boolean;
  earlyStoppingMet: boolean;
  /** Server only: observed percentile within the latency bound. */
  perfConstraintsMet: boolean | null;
  reasons: string[];
};

export type LoadgenResult = {
  scenario: LoadgenScenario;
  settings: TestSettings;
  queriesIssued: number;
  queriesCompleted: number;
  /** LoadGen's duration for this scenario (see RunFacts.durationMs). */
  durationMs: number;
  wallMs: number;
  latency: LatencySummary | null;
  firstToken: LatencySummary | null;
  timePerOutputToken: LatencySummary | null;
  throughput: { queriesPerSecond: number; tokensPerSecond: number | null; cuPerSecond: number };
  earlyStopping: SingleStreamEarlyStopping | ServerEarlyStopping | null;
  /** The load generator's account of itself (see GeneratorCheck). */
  generator: GeneratorCheck;
  /** Requests meeting the SLO, when one was given. */
  goodput: Goodput | null;
  validity: Validity;
  interrupted: boolean;
  headline: { name: string; value: number | null; unit: string };
};

/**
 * Did the client keep its own schedule? Server: the lag from each query's scheduled to its
 * actual send time, and the rate it really sent at; every scenario: the time the generator
 * spent per query (issuing it, and taking its result: records, progress, receipts hand-off).
 */
export type GeneratorCheck = {
  sendLag: LatencySummary | null;
  clientOverhead: LatencySummary | null;
  /** Server: the p99 send lag above which the run is INVALID. */
  lagBoundMs: number | null;
  scheduledQps: number | null;
  sentQps: number | null;
  /** True when the p99 send lag exceeded lagBoundMs, or fewer than 99 % of the scheduled QPS were sent. */
  behind: boolean;
};

export type Goodput = Slo & {
  met: number;
  /** Share of completed requests within every bound given. */
  share: number;
  requestsPerSecond: number;
};

/** What a runner observed; summariseRun turns it into the reported result. */
export type RunFacts = {
  settings: TestSettings;
  records: QueryRecord[];
  queriesIssued: number;
  /** SingleStream: last issue time; Server: last scheduled time; Offline: max latency. */
  durationMs: number;
  wallMs: number;
  interrupted: boolean;
  stopReason: string | null;
  /** Server: the spans of scheduled and actual send times (for the rate really sent). */
  sends: { scheduledSpanMs: number; sentSpanMs: number; count: number } | null;
};

/**
 * Default bound on the p99 send lag: a quarter of the latency bound (lag counts into every
 * latency, so beyond that the client's delays, not the system, would decide the verdict), and at
 * least 2 ms (a timer's and a busy event loop's granularity).
 */
export function defaultLagBoundMs(latencyBoundMs: number): number {
  return Math.max(2, 0.25 * latencyBoundMs);
}

/** A run that sent below this share of its scheduled rate was limited by its client. */
export const sentRateShareMin = 0.99;

function generatorOf(facts: RunFacts): GeneratorCheck {
  const s = facts.settings;
  const lags = facts.records.flatMap((r) => (r.sendLagMs === null ? [] : [r.sendLagMs]));
  const sendLag = summariseLatencies(lags);
  const lagBoundMs =
    s.scenario === 'server' ? (s.lagBoundMs ?? defaultLagBoundMs(s.latencyBoundMs!)) : null;
  const rate = (count: number, spanMs: number) =>
    spanMs > 0 ? ((count - 1) * 1000) / spanMs : null;
  return {
    sendLag,
    clientOverhead: summariseLatencies(facts.records.map((r) => r.clientMs)),
    lagBoundMs,
    scheduledQps: facts.sends ? rate(facts.sends.count, facts.sends.scheduledSpanMs) : null,
    sentQps: facts.sends ? rate(facts.sends.count, facts.sends.sentSpanMs) : null,
    behind: sendLag !== null && lagBoundMs !== null && sendLag.p99Ms > lagBoundMs,
  };
}

/** A request meets the SLO when its time to first token and time per output token are within bounds. */
function goodputOf(facts: RunFacts, seconds: number): Goodput | null {
  const slo = facts.settings.slo;
  if (!slo) return null;
  const meets = (r: QueryRecord) =>
    (slo.firstTokenMs === null ||
      (r.firstTokenMs !== null && r.firstTokenMs <= slo.firstTokenMs)) &&
    (slo.timePerOutputTokenMs === null ||
      r.timePerOutputTokenMs === null ||
      r.timePerOutputTokenMs <= slo.timePerOutputTokenMs);
  const met = facts.records.filter(meets).length;
  const n = facts.records.length;
  return {
    ...slo,
    met,
    share: n > 0 ? met / n : 0,
    requestsPerSecond: seconds > 0 ? met / seconds : 0,
  };
}

function summariseOptional(values: (number | null)[]): LatencySummary | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? summariseLatencies(present) : null;
}

function earlyStoppingOf(facts: RunFacts, sortedMs: number[]) {
  const target = {
    percentile: facts.settings.targetPercentile,
    confidence: facts.settings.confidence,
  };
  if (facts.settings.scenario === 'single-stream')
    return singleStreamEarlyStopping(sortedMs, target);
  if (facts.settings.scenario === 'server') {
    const bound = facts.settings.latencyBoundMs!;
    return serverEarlyStopping(sortedMs.length, sortedMs.filter((l) => l > bound).length, target);
  }
  return null;
}

function validityOf(
  facts: RunFacts,
  latency: LatencySummary | null,
  early: LoadgenResult['earlyStopping'],
  generator: GeneratorCheck,
): Validity {
  const s = facts.settings;
  const reasons: string[] = [];
  const minDurationMet = facts.durationMs >= s.minDurationMs;
  if (!minDurationMet)
    reasons.push(`duration ${facts.durationMs.toFixed(1)} ms < min ${s.minDurationMs} ms`);
  const minQueriesMet = facts.records.length >= s.minQueries;
  if (!minQueriesMet)
    reasons.push(`completed ${facts.records.length} queries < min ${s.minQueries}`);
  const earlyStoppingMet = early === null || early.passed;
  if (!earlyStoppingMet)
    reasons.push(
      `early stopping needs ${early!.queriesNeeded} queries, have ${facts.records.length}`,
    );
  let perfConstraintsMet: boolean | null = null;
  if (s.scenario === 'server') {
    const observed = latency
      ? percentileValue(latency, s.targetPercentile)
      : Number.POSITIVE_INFINITY;
    perfConstraintsMet = observed <= s.latencyBoundMs!;
    if (!perfConstraintsMet)
      reasons.push(
        `p${s.targetPercentile * 100} latency ${observed.toFixed(2)} ms > bound ${s.latencyBoundMs} ms; lower the QPS`,
      );
  }
  if (generator.behind)
    reasons.push(
      `the load generator fell behind its schedule: send lag p99 ${generator.sendLag!.p99Ms.toFixed(2)} ms (bound ${generator.lagBoundMs!.toFixed(2)} ms)${generator.sentQps !== null && generator.scheduledQps !== null ? `, sent ${generator.sentQps.toFixed(1)} QPS for a schedule of ${generator.scheduledQps.toFixed(1)} (at least ${sentRateShareMin * 100} % needed)` : ''}; the client, not the system, limited this run`,
    );
  if (facts.interrupted) reasons.push('interrupted before the end');
  if (facts.stopReason) reasons.push(facts.stopReason);
  const valid =
    minDurationMet &&
    minQueriesMet &&
    earlyStoppingMet &&
    perfConstraintsMet !== false &&
    !generator.behind &&
    !facts.interrupted &&
    !facts.stopReason;
  return { valid, minDurationMet, minQueriesMet, earlyStoppingMet, perfConstraintsMet, reasons };
}

function percentileValue(l: LatencySummary, p: number): number {
  if (p === 0.5) return l.p50Ms;
  if (p === 0.9) return l.p90Ms;
  if (p === 0.99) return l.p99Ms;
  throw new Error(`targetPercentile: only 0.5, 0.9 and 0.99 are reported, got ${p}`);
}

function headlineOf(
  s: TestSettings,
  latency: LatencySummary | null,
  qps: number,
  valid: boolean,
): LoadgenResult['headline'] {
  if (s.scenario === 'single-stream')
    return { name: 'p90 latency', value: latency?.p90Ms ?? null, unit: 'ms' };
  if (s.scenario === 'server')
    return { name: 'valid target QPS', value: valid ? s.targetQps : null, unit: 'queries/s' };
  return { name: 'samples per second', value: qps, unit: 'samples/s' };
}

export function summariseRun(facts: RunFacts): LoadgenResult {
  const latencies = facts.records.map((r) => r.latencyMs);
  const latency = summariseLatencies(latencies);
  const early = earlyStoppingOf(
    facts,
    [...latencies].sort((a, b) => a - b),
  );
  const generator = generatorOf(facts);
  const validity = validityOf(facts, latency, early, generator);
  const seconds = facts.wallMs / 1000;
  const tokens = facts.records.reduce((a, r) => a + r.generatedTokens, 0);
  const cu = facts.records.reduce((a, r) => a + r.cu, 0);
  const queriesPerSecond = seconds > 0 ? facts.records.length / seconds : 0;
  return {
    scenario: facts.settings.scenario,
    settings: facts.settings,
    queriesIssued: facts.queriesIssued,
    queriesCompleted: facts.records.length,
    durationMs: facts.durationMs,
    wallMs: facts.wallMs,
    latency,
    firstToken: summariseOptional(facts.records.map((r) => r.firstTokenMs)),
    timePerOutputToken: summariseOptional(facts.records.map((r) => r.timePerOutputTokenMs)),
    throughput: {
      queriesPerSecond,
      tokensPerSecond: tokens > 0 && seconds > 0 ? tokens / seconds : null,
      cuPerSecond: seconds > 0 ? cu / seconds : 0,
    },
    earlyStopping: early,
    generator,
    goodput: goodputOf(facts, seconds),
    validity,
    interrupted: facts.interrupted,
    headline: headlineOf(facts.settings, latency, queriesPerSecond, validity.valid),
  };
}
