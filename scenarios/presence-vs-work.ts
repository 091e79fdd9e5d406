import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { chatJobCostUsdc } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * presence-vs-work — the baseline network with 4 lazy workers (they fake 30 % of their results,
 * saving the calibrated cost of each) and 3 flapping ones (30 min on, 10 min off), under Ratio1's
 * deployed reward rules (PROTOCOL.md §10: licence mining by availability, a Proof-of-AI escrow
 * paying each node the oracles agree is active a price per day less a 15 % burn, no re-execution,
 * no slashing) with Ratio1's own parameter values. The same network under ONE's rules is the
 * other cell of one sweep:
 *
 *   onesim sweep presence-vs-work --grid params.rewardRules=one,ratio1 --seeds 1..20
 *   onesim report <out>   # cells side by side: the first (one) and the last (ratio1)
 *
 * Read side by side: honestIncomeUsdcPerWorkerDayP50, lazyIncomeUsdcPerWorkerDay,
 * flappingIncomeUsdcPerWorkerDay, lazyProfitUsdcPerWorkerDay (what cheating pays: income +
 * saved cost − slashed), and where the money went: paidToWorkersUsdc (receipts' pay; into the
 * escrow under ratio1), poaiPaidUsdc, licenceMintedUsdc, burnedUsdc, escrowEndUsdc, takeUsdc,
 * treasuryEndUsdc, oracleFeesUsdc, slashedUsdc.
 *
 * Question: when workers are paid for presence (Ratio1) instead of verified work (ONE), what do
 * honest, lazy and flapping workers earn, does cheating pay, and where does the money go?
 */
export default defineScenario({
  name: 'presence-vs-work',
  question:
    'Paid for presence (Ratio1) or for verified work (ONE): what do honest, lazy and flapping workers earn, does cheating pay, and where does the money go?',
  days: 7,
  ...baselineNetwork,
  params: { rewardRules: 'ratio1' },
  adversaries: {
    lazyWorkers: { count: 4, fakeShare: 0.3, savingUsdcPerFakedJob: chatJobCostUsdc },
    flappingWorkers: { count: 3, onMinutes: 30, offMinutes: 10 },
  },
  expectations: [
    {
      metric: 'mismatchesConfirmed',
      op: '>=',
      value: 1,
      label: 'lazy workers are caught at least once',
      question: true,
    },
    {
      metric: 'lazyProfitUsdcPerWorkerDay',
      op: '<=',
      value: 0,
      label: 'cheating is unprofitable (income + savings − slashes ≤ 0)',
      question: true,
    },
    {
      metric: 'burnedUsdc',
      op: '>',
      value: 0,
      label: 'the escrow burns part of what it pays',
      question: true,
    },
  ],
});
