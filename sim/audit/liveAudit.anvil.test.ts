import { describe, expect, it } from 'vitest';
import { runLiveAudit } from './liveAudit.ts';

describe('the live part of an audit', () => {
  it('runs random on-chain runs on a local Anvil and finds no divergence', async () => {
    const r = await runLiveAudit({ seed: 1, runs: 2, maxLength: 60 });
    expect(r.runs).toBe(2);
    expect(r.divergences).toEqual([]);
    expect(r.ok).toBe(true);
  }, 120_000);
});
