import type { z } from 'zod';

/** A validation problem as the CLI prints it: the dotted field and what is wrong. */
export interface FieldIssue {
  field: string;
  message: string;
}

type Path = ReadonlyArray<PropertyKey>;

const valueAt = (root: unknown, path: Path): unknown => {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
};

/**
 * How far a value is from fitting a union member, given that member's issues: fields it lacks
 * count most (a `series` expectation lacks `metric`, not the other way round), then all issues.
 */
function misfit(issues: readonly z.core.$ZodIssue[], value: unknown): [number, number] {
  const missing = issues.filter((i) => valueAt(value, i.path) === undefined).length;
  return [missing, issues.length];
}

/** The member of a failed union a value most likely meant, by its issues (index into `byOption`). */
export function likeliestOption(
  byOption: ReadonlyArray<readonly z.core.$ZodIssue[]>,
  value: unknown,
): number {
  let best = 0;
  let bestScore: [number, number] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  byOption.forEach((issues, i) => {
    const s = misfit(issues, value);
    if (s[0] < bestScore[0] || (s[0] === bestScore[0] && s[1] < bestScore[1])) {
      best = i;
      bestScore = s;
    }
  });
  return best;
}

/**
 * Zod issues as `field: message` lines. A failed union reports the member the input most
 * likely meant, not zod's bare "Invalid input".
 */
export function fieldIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  prefix: Path = [],
): FieldIssue[] {
  return issues.flatMap((i) => {
    const path = [...prefix, ...i.path];
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const at = valueAt(input, path);
      return fieldIssues(i.errors[likeliestOption(i.errors, at)]!, input, path);
    }
    return [{ field: path.map(String).join('.') || '(root)', message: i.message }];
  });
}
