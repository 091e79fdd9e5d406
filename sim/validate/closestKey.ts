import { closest, distance } from 'fastest-levenshtein';

/** Candidates listed in full, when none is close, up to this many. */
const listMax = 12;

/** A likely misspelling: a few edits apart (a third of the name's length, at least 2), or a prefix. */
function isNear(word: string, candidate: string): boolean {
  const a = word.toLowerCase();
  const b = candidate.toLowerCase();
  if (a.startsWith(b) || b.startsWith(a)) return true;
  return distance(a, b) <= Math.max(2, Math.floor(Math.max(a.length, b.length) / 3));
}

/**
 * The valid name nearest to a misspelt one (Levenshtein distance; ties go to the earlier
 * candidate), or null when there are no candidates.
 */
export function closestKey(word: string, candidates: readonly string[]): string | null {
  return candidates.length === 0 ? null : closest(word, candidates);
}

/**
 * One wording for every strict input: `unknown field "workerz"; did you mean "workers"?` when
 * a valid key is close; otherwise the valid keys (or, when there are many, the closest).
 */
export function unknownKeyMessage(
  what: string,
  word: string,
  candidates: readonly string[],
): string {
  const near = closestKey(word, candidates);
  const head = `unknown ${what} ${JSON.stringify(word)}`;
  if (near === null) return head;
  if (isNear(word, near)) return `${head}; did you mean ${JSON.stringify(near)}?`;
  if (candidates.length <= listMax)
    return `${head}; valid keys: ${candidates.map((c) => JSON.stringify(c)).join(', ')}`;
  return `${head}; closest valid key: ${JSON.stringify(near)}`;
}
