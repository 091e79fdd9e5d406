import { type Address, mulRatioCeil, ONE, USDC } from '../../protocol/index.ts';
import { actorAddress } from '../network/addresses.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import type { GatewayCore } from './gatewayCore.ts';

/** Who can submit jobs through the gateway: the scenario's first holders and sponsors. */
export type Requesters = { holders: Address[]; sponsors: Address[] };

export type ScenarioGenesisParameters = {
  core: GatewayCore;
  scenario: Scenario;
  requesters: Requesters;
};

/** The first holders and sponsors of the scenario, bounded (a scenario may have millions of holders). */
export function requestersOf(
  scenario: Scenario,
  holdersMax: number,
  sponsorsMax: number,
): Requesters {
  const n = Math.min(scenario.holders.count, holdersMax);
  const m = Math.min(scenario.sponsors.count, sponsorsMax);
  return {
    holders: Array.from({ length: n }, (_, i) => actorAddress('holder', i)),
    sponsors: Array.from({ length: m }, (_, i) => actorAddress('sponsor', i)),
  };
}

function must(core: GatewayCore, ...args: Parameters<GatewayCore['act']>): void {
  const r = core.act(...args);
  if (!r.ok) throw new Error(`gateway genesis: ${args[0].type} rejected: ${r.code}: ${r.message}`);
}

/**
 * Time zero of a fresh gateway: the scenario's treasury, holders staking the scenario's
 * minimum stake (at least the threshold), sponsors reserving their minimum rate for the
 * scenario's window (clamped to the reservation bounds), then day 0.
 */
export function scenarioGenesis(p: ScenarioGenesisParameters): void {
  const { core, scenario: s } = p;
  const params = core.params;
  const who = p.requesters;
  const funder = actorAddress('funder', 0);
  const treasury = BigInt(Math.round(s.treasuryGenesisUsdc)) * USDC;
  if (treasury > 0n) {
    must(core, { type: 'deposit', account: funder, asset: 'usdc', amount: treasury });
    must(core, { type: 'fundTreasury', from: funder, amountMicroUsdc: treasury });
  }
  const stakeMin = BigInt(Math.ceil(s.holders.stakeMinOne)) * ONE;
  const stake = stakeMin > params.stakeThresholdOneWei ? stakeMin : params.stakeThresholdOneWei;
  for (const holder of who.holders) {
    must(core, { type: 'deposit', account: holder, asset: 'one', amount: stake });
    must(core, { type: 'stake', holder, amountOneWei: stake });
  }
  must(core, { type: 'startDay', day: 0 });
  const hourMs = 3_600_000;
  const durationMs = Math.min(
    Math.max(s.sponsors.reservationHours * hourMs, params.reservationMinMs),
    params.reservationMaxMs,
  );
  const rate = BigInt(Math.max(1, Math.ceil(s.sponsors.rateCuPerSecMin)));
  for (const sponsor of who.sponsors) {
    const cost = ((rate * BigInt(durationMs)) / 1000n) * params.dedicatedPriceMicroUsdcPerCu;
    must(core, {
      type: 'deposit',
      account: sponsor,
      asset: 'usdc',
      amount: cost + mulRatioCeil(cost, params.dedicatedFee),
    });
    must(core, { type: 'reserve', sponsor, model: null, rateCuPerSec: rate, durationMs });
  }
}
