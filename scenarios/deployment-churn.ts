import { defineScenario } from '../sim/scenario/scenarioSchema.ts';
import { chatModel } from './calibrated.ts';
import { baselineNetwork } from './network.ts';

/**
 * deployment-churn — three 8B-class chat models at 8 bits (~9 GB of weights and runtime files each),
 * each deployed on k = 2 of 8 RTX 4090-class workers that keep 20 GB of their 24 GB for model
 * weights (the rest for KV cache), so a worker holds at most two; a model's jobs go only to
 * workers holding a ready replica
 * (protocol/README.md, "Deployments"). Workers crash about three times a day each and restart
 * after ~30 minutes; a crashed holder's replica moves to the next worker in the placement order,
 * which fetches 9 GB from the origin (200 Mbit/s) or faster from peers that hold it (+500
 * Mbit/s each, up to its own ~1 Gbit/s), or re-readies at once if it held the model in the last
 * 6 hours. The comparison without churn is a sweep:
 *
 *   onesim sweep deployment-churn --grid faults.crashesPerWorkerDay=0,3 --grid deployments.replicas=1,2 --seeds 1..5
 *
 * Question: how often is a model under-replicated (share of model-time with fewer ready
 * replicas than its target), and what does that do to waits and goodput, with churn against
 * without?
 */
export default defineScenario({
  name: 'deployment-churn',
  question:
    'Models deployed on k = 2 of 8 workers that crash ~3 times a day: how often is a model under-replicated, and what does it do to waits and goodput (against no churn)?',
  description: [
    'Measured over seeds 1-5, 7 days each (onesim sweep deployment-churn --seeds 1..5 --grid faults.crashesPerWorkerDay=0,3 --grid deployments.replicas=1,2 --threads 2; mean and range over seeds; docs/deployments.md):',
    "k = 2 with churn: models under-replicated 0.41 % of model-time (0.33-0.51 %), so the first question is YES in every seed; Included goodput 99.97 % against 100 % without churn, Dedicated 97.9 % against 97.9 %; 91 jobs expired against 3 (the crashes' own); 134 re-placements a run, 55 s each on average (52 % from the cache, 48 % from a peer).",
    'k = 1 with churn: under-replicated 0.78 % (0.67-0.90 %); Included goodput 99.4 % against 100 %, Dedicated 95.3 % against 97.7 %; 777 jobs expired against 3; Dedicated p99 wait 163 s against 25 s; a re-placement takes 214 s (no peer holds the model, 41 % from the cache).',
    'Without churn no model is ever under-replicated. A second replica halves the time short of replicas and removes nearly all of its cost to goodput: the surviving holder serves while the new one fetches from it.',
  ].join(' '),
  days: 7,
  ...baselineNetwork,
  holders: { ...baselineNetwork.holders, count: 3_000 },
  models: [
    { ...chatModel, weight: 0.6 },
    { name: 'qwen-2.5-coder-7b', cuPerRequest: chatModel.cuPerRequest, weight: 0.25 },
    { name: 'mistral-7b', cuPerRequest: chatModel.cuPerRequest, weight: 0.15 },
  ],
  workers: { ...baselineNetwork.workers, count: 8, modelsPerWorker: 3 },
  faults: { crashesPerWorkerDay: 3, restartMinutesMean: 30, resultDelayMsMax: 500 },
  deployments: {
    replicas: 2,
    modelSizeGb: 9,
    workerMemoryGb: 20,
    bandwidthMbpsMedian: 1_000,
    bandwidthSigma: 0.5,
    originMbps: 200,
    peerMbps: 500,
    cacheHours: 6,
  },
  expectations: [
    {
      metric: 'underReplicatedShare',
      op: '<=',
      value: 0.01,
      label: 'models under-replicated at most 1 % of the time',
      question: true,
    },
    {
      series: 'underReplicatedShare',
      stat: 'max',
      op: '<=',
      value: 0.5,
      label: 'in no hour is a model short of replicas half the time or more',
      question: true,
    },
    {
      metric: 'goodputIncluded',
      op: '>=',
      value: 0.99,
      label: 'Included goodput ≥ 99 % under churn',
      question: true,
    },
    {
      metric: 'goodputDedicated',
      op: '>=',
      value: 0.9,
      label: 'Dedicated goodput ≥ 90 % under churn',
      question: true,
    },
  ],
});
