import type { ScenarioInput } from '../sim/scenario/scenarioSchema.ts';
import baseline from './baseline.ts';
import demandSpike from './demand-spike.ts';
import feeCollapse from './fee-collapse.ts';
import growth from './growth.ts';
import sponsorFlood from './sponsor-flood.ts';
import sybilSplit from './sybil-split.ts';
import workerChurn from './worker-churn.ts';

/** The named scenarios shipped with onesim; a path to a user's own file works wherever a name does. */
export const scenarios: Record<string, ScenarioInput> = {
  baseline,
  growth,
  'demand-spike': demandSpike,
  'fee-collapse': feeCollapse,
  'sponsor-flood': sponsorFlood,
  'worker-churn': workerChurn,
  'sybil-split': sybilSplit,
  // Left to the verification layer (they need adversary agents or PoA/PoAI params):
  // lazy-workers, oracle-collusion, heartbeat-outage, flash-stake; bench-capacity needs --workers-from.
};
