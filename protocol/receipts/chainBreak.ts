/** How a hash-linked receipt chain was changed (PROTOCOL.md §6). */
export type ChainBreakKind = 'insertion' | 'deletion' | 'mutation' | 'reorder';

export type ChainBreak = { index: number; kind: ChainBreakKind; reason: string };

export type FindChainBreakParameters = {
  /** Each receipt's `prev` field, in file order. */
  prevs: readonly string[];
  /** Each receipt's own link (its EIP-712 digest, or the worker format's linkHash). */
  links: readonly string[];
  /** `prev` of the first receipt of a chain. */
  genesis: string;
  /** Each receipt's sequence number (job id); used only to tell a deletion from a mutation. */
  seqs: readonly number[];
};

/**
 * The first place the chain does not link, and the likeliest cause:
 * - reorder: the receipt links to one that appears later in the file;
 * - insertion: a receipt that is a duplicate, or that the chain steps over (its successor
 *   links to its predecessor, or two receipts claim the same predecessor);
 * - deletion: it links to a receipt not in the file and the sequence numbers jump;
 * - mutation: it links to a receipt not in the file although the sequence is contiguous, so the
 *   previous receipt was changed (and re-signed) after this one linked to it.
 * Returns null when every receipt links to the one before it (the first to genesis).
 */
export function findChainBreak(p: FindChainBreakParameters): ChainBreak | null {
  const { prevs, links, genesis, seqs } = p;
  if (prevs.length !== links.length || seqs.length !== links.length) {
    throw new RangeError(
      `findChainBreak: ${prevs.length} prevs, ${links.length} links, ${seqs.length} seqs`,
    );
  }
  const firstAt = new Map<string, number>();
  for (let i = 0; i < links.length; i++) if (!firstAt.has(links[i]!)) firstAt.set(links[i]!, i);
  for (let i = 0; i < links.length; i++) {
    if (prevs[i] === (i === 0 ? genesis : links[i - 1])) continue;
    const original = firstAt.get(links[i]!)!;
    if (original < i) {
      return { index: i, kind: 'insertion', reason: `receipt ${i} duplicates receipt ${original}` };
    }
    return classify({ ...p, index: i, firstAt });
  }
  return null;
}

function classify(
  p: FindChainBreakParameters & { index: number; firstAt: Map<string, number> },
): ChainBreak {
  const { prevs, links, genesis, seqs, index: i } = p;
  const before = i === 0 ? genesis : links[i - 1]!;
  const j = p.firstAt.get(prevs[i]!);
  if (j !== undefined && j >= i) {
    return {
      index: i,
      kind: 'reorder',
      reason: `receipt ${i} links to receipt ${j}, which comes after it`,
    };
  }
  if (i + 1 < links.length && prevs[i + 1] === before) {
    return {
      index: i,
      kind: 'insertion',
      reason: `receipt ${i + 1} links past receipt ${i} to its predecessor`,
    };
  }
  if (j !== undefined) {
    return {
      index: j + 1,
      kind: 'insertion',
      reason: `receipts ${j + 1} and ${i} both link to receipt ${j}; ${j + 1}..${i - 1} are not in the chain`,
    };
  }
  if (i > 0 && seqs[i] === seqs[i - 1]! + 1) {
    return {
      index: i - 1,
      kind: 'mutation',
      reason: `receipt ${i} links to a receipt ${i - 1} that differs from the one in the file`,
    };
  }
  if (i === 0 && seqs[0] === 0) {
    return {
      index: 0,
      kind: 'mutation',
      reason: 'receipt 0 (sequence 0) does not link to genesis',
    };
  }
  const gap =
    i === 0 ? `starts at sequence ${seqs[0]}` : `sequence jumps from ${seqs[i - 1]} to ${seqs[i]}`;
  return { index: i, kind: 'deletion', reason: `receipt(s) missing before receipt ${i}: ${gap}` };
}
