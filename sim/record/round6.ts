/** Six significant digits: stable across machines, enough to read. */
export const round6 = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);
