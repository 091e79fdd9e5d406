import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API of scenarios/', () => {
  it('exports exactly this list (a change here must be deliberate)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "ScenarioFileError",
        "ScenarioParseError",
        "UnknownScenarioError",
        "loadScenario",
        "scenarios",
      ]
    `);
  });
});
