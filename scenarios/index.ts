import type { ScenarioInput } from '../sim/scenario/scenarioSchema.ts';
import baseline from './baseline.ts';

/** The named scenarios shipped with onesim; a path to a user's own file works wherever a name does. */
export const scenarios: Record<string, ScenarioInput> = {
  baseline,
};
