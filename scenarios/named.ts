import type { ScenarioInput } from '../sim/scenario/scenarioSchema.ts';
import baseline from './baseline.ts';
import benchCapacity from './bench-capacity.ts';
import demandSpike from './demand-spike.ts';
import deploymentChurn from './deployment-churn.ts';
import feeCollapse from './fee-collapse.ts';
import flashStake from './flash-stake.ts';
import growth from './growth.ts';
import healthy from './healthy.ts';
import heartbeatOutage from './heartbeat-outage.ts';
import lazyWorkers from './lazy-workers.ts';
import oracleCollusion from './oracle-collusion.ts';
import presenceVsWork from './presence-vs-work.ts';
import sealedShare from './sealed-share.ts';
import sponsorFlood from './sponsor-flood.ts';
import sybilSplit from './sybil-split.ts';
import workerChurn from './worker-churn.ts';

/** The named scenarios shipped with onesim; a path to a user's own file works wherever a name does. */
export const scenarios: Record<string, ScenarioInput> = {
  baseline,
  healthy,
  growth,
  'demand-spike': demandSpike,
  'fee-collapse': feeCollapse,
  'sponsor-flood': sponsorFlood,
  'worker-churn': workerChurn,
  'sybil-split': sybilSplit,
  'flash-stake': flashStake,
  'lazy-workers': lazyWorkers,
  'oracle-collusion': oracleCollusion,
  'heartbeat-outage': heartbeatOutage,
  'presence-vs-work': presenceVsWork,
  'sealed-share': sealedShare,
  'bench-capacity': benchCapacity,
  'deployment-churn': deploymentChurn,
};
