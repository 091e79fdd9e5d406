import { describe, expect, it } from 'vitest';
import { logGamma } from './logGamma.ts';

describe('logGamma', () => {
  it('matches ln((n-1)!) and ln Γ(1/2) = ln √π', () => {
    let factorial = 1;
    for (let n = 1; n <= 30; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 9);
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 10);
    let logFactorial = 0;
    for (let k = 2; k <= 1000; k++) logFactorial += Math.log(k);
    expect(logGamma(1001)).toBeCloseTo(logFactorial, 8);
    // Γ(x+1) = x·Γ(x) across the small-x shift boundary and at large fractional x.
    for (const x of [0.3, 6.5, 7.2, 1000.5]) {
      expect(logGamma(x + 1) - logGamma(x)).toBeCloseTo(Math.log(x), 9);
    }
  });
});
