// Package entry of the scenarios (`onesim/scenarios`): the named scenarios, and the loader that
// takes a name or a path to a user's own .ts/.mts/.json file.
export {
  loadScenario,
  ScenarioFileError,
  ScenarioParseError,
  UnknownScenarioError,
} from './loadScenario.ts';
export { scenarios } from './named.ts';
