import { runOffline } from './runOffline.ts';
import { runServer } from './runServer.ts';
import { runSingleStream } from './runSingleStream.ts';
import type { ScenarioResult } from './scenarioResult.ts';
import type { RunScenarioParameters } from './testSettings.ts';

/** Runs the scenario named in `settings.scenario`. */
export function runScenario(p: RunScenarioParameters): Promise<ScenarioResult> {
  switch (p.settings.scenario) {
    case 'single-stream':
      return runSingleStream(p);
    case 'server':
      return runServer(p);
    case 'offline':
      return runOffline(p);
  }
}
