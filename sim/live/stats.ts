/** What a live run did: actions by kind and outcome, transactions, blocks and gas per type. */
export interface LiveStats {
  actions: number;
  onChain: number;
  offChain: number;
  unencodable: number;
  transactions: number;
  blocks: number;
  checks: number;
  rejectedByCode: Record<string, number>;
  /** Rejections of actions with an on-chain part: the chain reverted with these same errors. */
  chainRejectedByCode: Record<string, number>;
  /** Actions with an on-chain part that both sides accepted. */
  chainAcceptedByType: Record<string, number>;
  gasByType: Record<string, { count: number; gasTotal: bigint }>;
  count(
    type: string,
    rejectedCode: string | null,
    kind: 'call' | 'offchain' | 'unencodable' | 'unsupported',
  ): void;
  block(transactions: number): void;
  gas(type: string, gasUsed: bigint): void;
}

export function createLiveStats(): LiveStats {
  return {
    actions: 0,
    onChain: 0,
    offChain: 0,
    unencodable: 0,
    transactions: 0,
    blocks: 0,
    checks: 0,
    rejectedByCode: {},
    chainRejectedByCode: {},
    chainAcceptedByType: {},
    gasByType: {},
    count(type, code, kind) {
      this.actions += 1;
      if (kind === 'call') this.onChain += 1;
      else if (kind === 'offchain') this.offChain += 1;
      else this.unencodable += 1;
      if (code) this.rejectedByCode[code] = (this.rejectedByCode[code] ?? 0) + 1;
      if (kind !== 'call') return;
      if (code) this.chainRejectedByCode[code] = (this.chainRejectedByCode[code] ?? 0) + 1;
      else this.chainAcceptedByType[type] = (this.chainAcceptedByType[type] ?? 0) + 1;
    },
    block(transactions) {
      this.blocks += 1;
      this.transactions += transactions;
    },
    gas(type, gasUsed) {
      const g = this.gasByType[type] ?? { count: 0, gasTotal: 0n };
      this.gasByType[type] = g;
      g.count += 1;
      g.gasTotal += gasUsed;
    },
  };
}

/** Mean gas per accepted transaction of each type, rounded down, sorted by type. */
export function gasPerType(
  stats: LiveStats,
): Array<{ type: string; count: number; gasMean: number }> {
  return Object.entries(stats.gasByType)
    .map(([type, g]) => ({ type, count: g.count, gasMean: Number(g.gasTotal / BigInt(g.count)) }))
    .sort((a, b) => (a.type < b.type ? -1 : 1));
}
