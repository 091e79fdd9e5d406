import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { chatJobCostUsdc } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * sealed-share — the lazy-workers network (4 of 20 workers fake 30 % of their results, saving the
 * calibrated cost of each) where half the jobs are sealed: their payload is encrypted to the
 * worker, so an oracle can re-execute one only if its requester re-encrypted it to the audit
 * committee. Under the default policy ('opt-in') half the requesters of sealed jobs do; the
 * other policies are 'unaudited' (no sealed job is audited) and 'tee' (sealed jobs are checked
 * by a trusted-execution attestation that passes a wrong result 10 % of the time). The sweep:
 *
 *   onesim sweep sealed-share --grid sealedJobs.share=0,0.25,0.5,0.75,1 --grid params.sealedAudit=opt-in,unaudited,tee --seeds 1..3 --days 7
 *
 * deterrenceMargin is p · (1 − r) · a · (R + S) / C: the expected penalty of a faked job over
 * what faking saves (≥ 1: cheating does not pay), with a = 1 − s(1 − o) ('opt-in'), 1 − s
 * ('unaudited') or 1 − s·f ('tee') the share of sampled fakes an oracle can check (derived in
 * sim/deterrence; `onesim bench deterrence --sealed-share 0,0.25,0.5` measures the boundary
 * p* = C / ((1 − r) · a · (R + S)) itself).
 *
 * Question: as the share of sealed jobs grows, does Proof-of-AI still deter lazy workers under
 * each audit policy, and how far does the deterrence margin fall?
 */
export default defineScenario({
  name: 'sealed-share',
  question:
    'As the share of sealed jobs grows, does Proof-of-AI still deter lazy workers under each audit policy (opt-in, unaudited, TEE), and how far does its margin fall?',
  description:
    'Measured (2 seeds × 7 days per cell, protocol/README.md): against lazy workers that fake any job, deterrenceMargin stays above 10,000 at every sealed share under opt-in and tee, and under unaudited until every job is sealed (then 0: never caught, +3.83 USDC a worker-day). Lazy workers that fake only the sealed jobs no oracle can read (sealedJobs.lazyTargetSealed) are never caught under opt-in or unaudited at any share (margin 0, +3.8 USDC a worker-day); under tee (f = 0.1) they are caught and lose about 70 USDC a worker-day. Command: onesim sweep sealed-share --grid sealedJobs.share=0,0.25,0.5,0.75,1 --grid params.sealedAudit=opt-in,unaudited,tee --grid sealedJobs.lazyTargetSealed=false,true --seeds 1..2 --days 7',
  days: 7,
  ...baselineNetwork,
  params: { sealedAudit: 'opt-in' },
  sealedJobs: { share: 0.5, auditOptInShare: 0.5, teeFailureRate: 0.1 },
  adversaries: {
    lazyWorkers: { count: 4, fakeShare: 0.3, savingUsdcPerFakedJob: chatJobCostUsdc },
  },
  expectations: [
    {
      metric: 'deterrenceMargin',
      op: '>=',
      value: 1,
      label: 'the expected penalty of a faked job still exceeds its saving (margin ≥ 1)',
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
      metric: 'mismatchesConfirmed',
      op: '>=',
      value: 1,
      label: 'lazy workers are caught at least once',
      question: true,
    },
  ],
});
