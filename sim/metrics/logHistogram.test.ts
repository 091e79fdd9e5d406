import { describe, expect, it } from 'vitest';
import { LogHistogram } from './logHistogram.ts';

describe('LogHistogram', () => {
  it('estimates quantiles within ~1% relative error', () => {
    const h = new LogHistogram();
    for (let v = 1; v <= 100_000; v++) h.add(v);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = q * 100_000;
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThan(0.011);
    }
    expect(h.mean()).toBeCloseTo(50_000.5, 6);
    expect(h.max).toBe(100_000);
  });

  it('handles zero, empty, merge and reset', () => {
    const a = new LogHistogram();
    expect(a.quantile(0.5)).toBe(0);
    a.add(0, 10);
    expect(a.quantile(0.99)).toBe(0);
    const b = new LogHistogram();
    b.add(1_000, 10);
    a.merge(b);
    expect(a.count).toBe(20);
    expect(a.quantile(0.95)).toBeGreaterThan(990);
    a.reset();
    expect(a.count).toBe(0);
  });
});
