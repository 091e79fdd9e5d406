// Package entry of the simulator (`onesim/sim`): runs, sweeps, replay, the audit, the live
// driver against Anvil and the gateway, and the scenario schema they share.
export { type AuditReport, type RunAuditParameters, runAudit } from './audit/runAudit.ts';
export {
  createGateway,
  type Gateway,
  type GatewayOptions,
  gatewayDefaults,
} from './gateway/createGateway.ts';
export {
  createOneWorkerClient,
  type OneWorkerClient,
  type OneWorkerClientOptions,
} from './gateway/oneWorkerClient.ts';
export {
  generateSealingKeyPair,
  open as openSealed,
  type SealedBox,
  type SealingKeyPair,
  SealOpenError,
  seal,
} from './io/sealing.ts';
export { type RunLiveParameters, type RunLiveResult, runLive } from './live/runLive.ts';
export type { RunRecord } from './record/runRecord.ts';
export { type ReplayTraceReturnType, replayTrace } from './run/replayTrace.ts';
export {
  type RunSimulationParameters,
  type RunSimulationReturnType,
  runSimulation,
} from './run/runSimulation.ts';
export {
  defineScenario,
  parseScenario,
  type Scenario,
  type ScenarioInput,
  ScenarioParseError,
} from './scenario/scenarioSchema.ts';
export { type RunSweepParameters, type RunSweepReturnType, runSweep } from './sweep/runSweep.ts';
