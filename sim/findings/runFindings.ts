import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveParams } from '../../protocol/index.ts';
import {
  chatRequest,
  holderDemand,
  marketMicroUsdcPerCu,
  rtx4090Worker,
} from '../../scenarios/calibrated.ts';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { parseSeeds } from '../sweep/parseSeeds.ts';
import { sweep } from '../sweep/sweep.ts';
import { type FindingsContext, type FindingsScale, type Question, questions } from './questions.ts';

export interface Finding {
  question: Question;
  command: string;
  text: string;
  table: string[][];
  /** What the answer was computed at: scale, seeds, days. */
  scale: number;
  seeds: string;
  days: number;
  runs: number;
  /** Runs done by this call (the rest were resumed from the sweep folder). */
  ran: number;
  /** Seconds this call took. */
  seconds: number;
  /** Seconds every pass over this sweep folder took together (findings-time.json). */
  totalSeconds: number;
}

/** Adds this pass's seconds to the folder's running total (a resumed sweep keeps its earlier time). */
function addTime(dir: string, seconds: number, ran: number): number {
  const file = join(dir, 'findings-time.json');
  let before = 0;
  if (existsSync(file))
    try {
      before =
        Number((JSON.parse(readFileSync(file, 'utf8')) as { seconds?: number }).seconds) || 0;
    } catch {
      before = 0;
    }
  const total = Math.round((before + (ran > 0 ? seconds : 0)) * 10) / 10;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ seconds: total })}\n`);
  return total;
}

const shellQuote = (s: string): string =>
  /^[\w.,=:/-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;

/** The scale, seeds and days a question runs at: the CLI's overrides, else its own. */
export function settingsOf(
  q: Question,
  o: FindingsScale,
): { scale: number; seeds: string; days: number } {
  return { scale: o.scale ?? q.scale, seeds: o.seeds ?? q.seeds, days: o.days ?? q.days };
}

/** The exact `onesim sweep` command that reproduces a question's sweep folder. */
export function sweepCommand(q: Question, o: FindingsScale, dir: string): string {
  const s = settingsOf(q, o);
  const grid = q.grid.map(
    (a) =>
      `--grid ${shellQuote(`${a.key}=${a.values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',')}`)}`,
  );
  return [
    'npx onesim sweep',
    q.scenario,
    '--seeds',
    s.seeds,
    ...grid,
    '--days',
    String(s.days),
    '--scale',
    String(s.scale),
    '--out',
    dir,
  ].join(' ');
}

/** The market and calibration facts the answers compare with (scenarios/calibration.json). */
export function findingsContext(): FindingsContext {
  const market = marketMicroUsdcPerCu();
  const params = resolveParams({});
  return {
    marketMicroUsdcPerCuLow: market[0]!.microUsdcPerCu,
    marketMicroUsdcPerCuHigh: market.at(-1)!.microUsdcPerCu,
    cuPerActiveHolderPerDay: holderDemand.cuPerActiveHolderPerDay,
    defaultAllotmentCu: Number(params.creditsPerThresholdCu),
    defaultDedicatedPrice: Number(params.dedicatedPriceMicroUsdcPerCu),
    workerCostUsdcPerDay: rtx4090Worker.costUsdcPerDay,
    holderActiveShare: holderDemand.activeShare,
    inputWeight: chatRequest.inputWeight,
  };
}

/** Runs (or resumes) each question's sweep and answers it from the aggregates. */
export async function runFindings(
  o: FindingsScale & {
    outDir: string;
    commit: string;
    threads?: number;
    /** Only these question ids (default: all). */
    only?: readonly string[];
    onQuestion?: (q: Question, i: number, of: number) => void;
    shouldStop?: () => boolean;
    /** The wall clock (ms) that times each answer; injected, since sim/ reads no ambient clock. */
    clockMs: () => number;
  },
): Promise<Finding[]> {
  const out: Finding[] = [];
  const all = questions(findingsContext()).filter((q) => !o.only || o.only.includes(q.id));
  for (const [i, q] of all.entries()) {
    o.onQuestion?.(q, i, all.length);
    const s = settingsOf(q, o);
    const dir = join(o.outDir, q.id);
    const started = o.clockMs();
    const r = await sweep({
      scenario: await loadScenario(q.scenario),
      seeds: parseSeeds(s.seeds),
      grid: q.grid,
      days: s.days,
      scale: s.scale,
      dir,
      commit: o.commit,
      threads: o.threads,
      shouldStop: o.shouldStop,
    });
    const seconds = Math.round((o.clockMs() - started) / 100) / 10;
    out.push({
      question: q,
      command: sweepCommand(q, o, dir),
      ...q.answer(r.aggregate),
      ...s,
      runs: r.aggregate.runs,
      ran: r.ran,
      seconds,
      totalSeconds: addTime(dir, seconds, r.ran),
    });
    if (r.stopped) break;
  }
  return out;
}
