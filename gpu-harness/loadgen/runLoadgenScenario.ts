import type { LoadgenResult } from './loadgenResult.ts';
import { runOffline } from './runOffline.ts';
import { runServer } from './runServer.ts';
import { runSingleStream } from './runSingleStream.ts';
import type { RunScenarioParameters } from './testSettings.ts';

/** Runs the scenario named in `settings.scenario`. */
export function runLoadgenScenario(p: RunScenarioParameters): Promise<LoadgenResult> {
  switch (p.settings.scenario) {
    case 'single-stream':
      return runSingleStream(p);
    case 'server':
      return runServer(p);
    case 'offline':
      return runOffline(p);
  }
}
