import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API of sim/', () => {
  it('exports exactly this list (a change here must be deliberate)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "ScenarioParseError",
        "SealOpenError",
        "createGateway",
        "createOneWorkerClient",
        "defineScenario",
        "gatewayDefaults",
        "generateSealingKeyPair",
        "openSealed",
        "parseScenario",
        "replayTrace",
        "runAudit",
        "runLive",
        "runSimulation",
        "runSweep",
        "seal",
      ]
    `);
  });
});
