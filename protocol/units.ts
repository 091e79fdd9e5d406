/** Base units: $ONE has 18 decimals, USDC 6. Every amount in state is a bigint of base units. */
export const ONE_DECIMALS = 18;
export const USDC_DECIMALS = 6;
export const ONE = 10n ** 18n;
export const USDC = 10n ** 6n;

/** A probability or share as a ratio of integers, never a float (0 ≤ num ≤ den, den > 0). */
export interface Ratio {
  num: bigint;
  den: bigint;
}

export const ratio = (num: bigint, den: bigint): Ratio => ({ num, den });

/** floor(a · r); rounds down. */
export function mulRatioFloor(a: bigint, r: Ratio): bigint {
  return (a * r.num) / r.den;
}

/** ceil(a · r) for a ≥ 0; rounds up (used for fees and take, in the protocol's favour). */
export function mulRatioCeil(a: bigint, r: Ratio): bigint {
  return ceilDiv(a * r.num, r.den);
}

/** ceil(a / b) for a ≥ 0, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** floor(sqrt(n)) for n ≥ 0 (Newton's method on bigints). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError(`isqrt of a negative number: ${n}`);
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Correct the float estimate in both directions; converges in a few steps.
  while (x * x > n) x = (x + n / x) / 2n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** Formats base units with thousands separators, e.g. formatUnits(1234567n, 6) = "1,234.567". */
export function formatUnits(
  amount: bigint,
  decimals: number,
  maxFractionDigits = decimals,
): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let frac = (abs % scale).toString().padStart(decimals, '0').slice(0, maxFractionDigits);
  frac = frac.replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

export const formatUsdc = (amount: bigint, digits = 6): string =>
  `${formatUnits(amount, USDC_DECIMALS, digits)} USDC`;
export const formatOne = (amount: bigint, digits = 4): string =>
  `${formatUnits(amount, ONE_DECIMALS, digits)} ONE`;
