import { join } from 'node:path';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { parseSeeds } from '../sweep/parseSeeds.ts';
import { sweep } from '../sweep/sweep.ts';
import { type FindingsScale, type Question, questions } from './questions.ts';

export interface Finding {
  question: Question;
  command: string;
  text: string;
  table: string[][];
  runs: number;
  /** Runs done by this call (the rest were resumed from the sweep folder). */
  ran: number;
  seconds: number;
}

const shellQuote = (s: string): string =>
  /^[\w.,=:/-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;

/** The exact `onesim sweep` command that reproduces a question's sweep folder. */
export function sweepCommand(q: Question, s: FindingsScale, dir: string): string {
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
    String(q.days),
    '--scale',
    String(s.scale),
    '--out',
    dir,
  ].join(' ');
}

/** Runs (or resumes) each question's sweep and answers it from the aggregates. */
export async function runFindings(
  o: FindingsScale & {
    outDir: string;
    commit: string;
    threads?: number;
    onQuestion?: (q: Question, i: number) => void;
    shouldStop?: () => boolean;
  },
): Promise<Finding[]> {
  const seeds = parseSeeds(o.seeds);
  const out: Finding[] = [];
  for (const [i, q] of questions(o).entries()) {
    o.onQuestion?.(q, i);
    const dir = join(o.outDir, q.id);
    const started = performance.now();
    const r = await sweep({
      scenario: await loadScenario(q.scenario),
      seeds,
      grid: q.grid,
      days: q.days,
      scale: o.scale,
      dir,
      commit: o.commit,
      threads: o.threads,
      shouldStop: o.shouldStop,
    });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    out.push({
      question: q,
      command: sweepCommand(q, o, dir),
      ...q.answer(r.aggregate),
      runs: r.aggregate.runs,
      ran: r.ran,
      seconds,
    });
    if (r.stopped) break;
  }
  return out;
}
