import { closest } from 'fastest-levenshtein';

/**
 * The valid name nearest to a misspelt one (Levenshtein distance; ties go to the earlier
 * candidate), or null when there is none to offer. Every "unknown key" message says it.
 */
export function closestKey(word: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0) return null;
  return closest(word, candidates);
}

/** `unknown field "workerz"; did you mean "workers"?` — one wording for every strict input. */
export function unknownKeyMessage(
  what: string,
  word: string,
  candidates: readonly string[],
): string {
  const near = closestKey(word, candidates);
  return `unknown ${what} ${JSON.stringify(word)}${near === null ? '' : `; did you mean ${JSON.stringify(near)}?`}`;
}
