import type { ScenarioInput } from '../sim/scenario/scenarioSchema.ts';

/** What a sweep measured about a scenario's expectations: written into its description. */
export interface Measured {
  /** The exact command that produced the numbers (its aggregate.json holds them). */
  command: string;
  seeds: number;
  days: number;
  scale: number;
  /** Wall-clock seconds the sweep took, and on what. */
  seconds: number;
  machine: string;
  commit: string;
  /** Expectation label → share of seeds in which it failed. */
  failure: Record<string, number>;
}

const pct = (p: number): string => `${(p * 100).toFixed(p === 0 || p === 1 ? 0 : 1)} %`;

/**
 * The description of a scenario whose expectations were measured: the verdict in words, then each
 * expectation's failure probability over seeds and the command behind it. Throws when a label
 * has no measurement or a measurement names no expectation, so the two cannot drift apart.
 */
export function describeMeasured(
  verdict: string,
  expectations: NonNullable<ScenarioInput['expectations']>,
  m: Measured,
): string {
  const labels = expectations.map((e) => e.label);
  const missing = labels.filter((l) => !(l in m.failure));
  const extra = Object.keys(m.failure).filter((l) => !labels.includes(l));
  if (missing.length > 0 || extra.length > 0)
    throw new Error(
      `measured failures do not match the expectations: missing ${JSON.stringify(missing)}, unknown ${JSON.stringify(extra)}`,
    );
  const lines = labels.map((l) => `  ${pct(m.failure[l]!).padStart(7)} fail: ${l}`);
  return [
    verdict,
    `Measured over ${m.seeds} seeds × ${m.days} days at scale ${m.scale} (${Math.round(m.seconds)} s on ${m.machine}, commit ${m.commit}); share of seeds in which each expectation fails:`,
    ...lines,
    `Reproduce: ${m.command}`,
  ].join('\n');
}
