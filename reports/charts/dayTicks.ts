/** Whole-day tick steps, smallest first: a day axis never shows fractions of a day. */
const steps = [1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365];

/**
 * Ticks for a day axis from `minDay` to `maxDay`: whole days at the smallest step that gives at
 * most `most` ticks (1, 2, 5, 7, 10, 14, 30 … days).
 */
export function dayTicks(minDay: number, maxDay: number, most = 10): number[] {
  const lo = Math.ceil(minDay);
  const hi = Math.floor(maxDay);
  if (!(hi >= lo)) return [];
  const step =
    steps.find((s) => Math.floor((hi - lo) / s) + 1 <= most) ?? Math.ceil((hi - lo) / most);
  const first = Math.ceil(lo / step) * step;
  const out: number[] = [];
  for (let d = first; d <= hi; d += step) out.push(d);
  return out;
}

/** Plot's x-axis options for a day axis over these x values. */
export function dayAxis(xs: readonly number[], label = 'day') {
  const finite = xs.filter(Number.isFinite);
  const ticks = finite.length === 0 ? [] : dayTicks(Math.min(...finite), Math.max(...finite));
  return { label, ticks, tickFormat: (d: number) => String(d) };
}
