import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every command: its name, the line `onesim --help` shows, and how to load its file. A command
 * file (with the simulator, viem, onnxruntime… behind it) is imported only when that command
 * runs or shows its own help, so `onesim --help` starts in a fraction of a second. Add one entry
 * per top-level command.
 */
export type CommandEntry = { name: string; summary: string; load: Array<() => Promise<Register>> };

export const commandManifest: CommandEntry[] = [
  {
    name: 'run',
    summary: 'simulate a scenario; summary, metrics, trace and report',
    load: [() => import('./run.ts').then((m) => m.registerRun)],
  },
  {
    name: 'sweep',
    summary: 'run a scenario over seeds × a parameter grid (sharded across machines or not)',
    load: [() => import('./sweep.ts').then((m) => m.registerSweep)],
  },
  {
    name: 'report',
    summary: 'write the HTML report and charts of a run or sweep folder',
    load: [() => import('./report.ts').then((m) => m.registerReport)],
  },
  {
    name: 'findings',
    summary: 'run the sweeps behind docs/findings.md and rewrite it',
    load: [() => import('./findings.ts').then((m) => m.registerFindings)],
  },
  {
    name: 'replay',
    summary: 're-apply a trace from genesis and check its state hashes',
    load: [() => import('./replay.ts').then((m) => m.registerReplay)],
  },
  {
    name: 'scenarios',
    summary: 'list the named scenarios and the question each answers',
    load: [() => import('./scenarios.ts').then((m) => m.registerScenarios)],
  },
  {
    name: 'apply',
    summary: 'apply a file of timed protocol actions to a fresh state',
    load: [() => import('./apply.ts').then((m) => m.registerApply)],
  },
  {
    name: 'audit',
    summary: 'hunt for protocol invariant violations with random action sequences',
    load: [() => import('./audit.ts').then((m) => m.registerAudit)],
  },
  {
    name: 'live',
    summary: 'run actions on the Solidity contracts on Anvil and compare with the model',
    load: [() => import('./live.ts').then((m) => m.registerLive)],
  },
  {
    name: 'bench',
    summary: 'benchmarks: engine, inference, endpoint, deterrence',
    load: [
      () => import('./benchEngine.ts').then((m) => m.registerBenchEngine),
      () => import('./benchEndpoint.ts').then((m) => m.registerBenchEndpoint),
      () => import('./benchDeterrence.ts').then((m) => m.registerBenchDeterrence),
      () => import('./benchInference.ts').then((m) => m.registerBenchInference),
    ],
  },
  {
    name: 'models',
    summary: 'the model zoo: list it, export a model',
    load: [() => import('./models.ts').then((m) => m.registerModels)],
  },
  {
    name: 'serve-model',
    summary: 'serve a zoo text model as an OpenAI-compatible backend',
    load: [() => import('./serveModel.ts').then((m) => m.registerServeModel)],
  },
  {
    name: 'gateway',
    summary: 'the protocol as a live service for ONE workers',
    load: [() => import('./gateway.ts').then((m) => m.registerGateway)],
  },
  {
    name: 'verify',
    summary: 'check a receipts file: signatures, chain, digests, re-execution',
    load: [() => import('./verify.ts').then((m) => m.registerVerify)],
  },
];

/**
 * Registers on `program` the full command `name` names (loading its file), and every other
 * command as a listed name with its summary; with no name, every command is listed only.
 */
export async function registerCommands(program: Command, name: string | null): Promise<void> {
  for (const entry of commandManifest) {
    if (entry.name === name) {
      for (const load of entry.load) (await load())(program);
    } else program.command(entry.name).summary(entry.summary).helpOption(false);
  }
}
