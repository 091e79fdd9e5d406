import { UsageError } from './errors.ts';

export type NumberRule = {
  integer?: boolean;
  min?: number;
  max?: number;
  minExclusive?: number;
  maxExclusive?: number;
};

/** Parses a numeric flag; a bad value is a UsageError naming the flag and the value (exit 2). */
export function parseNumber(flag: string, text: string, rule: NumberRule): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const fail = (reason: string): never => {
    throw new UsageError(`${flag}=${JSON.stringify(text)} ${reason}`, flag);
  };
  if (!Number.isFinite(value)) fail('is not a number');
  if (rule.integer && !Number.isSafeInteger(value)) fail('must be an integer');
  if (rule.min !== undefined && value < rule.min) fail(`must be >= ${rule.min}`);
  if (rule.max !== undefined && value > rule.max) fail(`must be <= ${rule.max}`);
  if (rule.minExclusive !== undefined && value <= rule.minExclusive)
    fail(`must be > ${rule.minExclusive}`);
  if (rule.maxExclusive !== undefined && value >= rule.maxExclusive)
    fail(`must be < ${rule.maxExclusive}`);
  return value;
}
