import type { Command } from 'commander';
import { registerApply } from './apply.ts';
import { registerAudit } from './audit.ts';
import { registerBenchDeterrence } from './benchDeterrence.ts';
import { registerBenchEndpoint } from './benchEndpoint.ts';
import { registerBenchEngine } from './benchEngine.ts';
import { registerBenchInference } from './benchInference.ts';
import { registerFindings } from './findings.ts';
import { registerGateway } from './gateway.ts';
import { registerLive } from './live.ts';
import { registerReplay } from './replay.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerScenarios } from './scenarios.ts';
import { registerServeModel } from './serveModel.ts';
import { registerSweep } from './sweep.ts';
import { registerVerify } from './verify.ts';

/** Every command registers itself on the program; add one line per command file. */
export const commands: Array<(program: Command) => void> = [
  registerApply,
  registerAudit,
  registerBenchEngine,
  registerBenchEndpoint,
  registerBenchDeterrence,
  registerBenchInference,
  registerFindings,
  registerGateway,
  registerLive,
  registerReplay,
  registerRun,
  registerReport,
  registerScenarios,
  registerServeModel,
  registerSweep,
  registerVerify,
];
