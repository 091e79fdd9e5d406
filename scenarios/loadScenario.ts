import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseScenario, type Scenario, ScenarioParseError } from '../sim/scenario/scenarioSchema.ts';
import { scenarios } from './index.ts';

export class UnknownScenarioError extends Error {
  override name = 'UnknownScenarioError';
  constructor(readonly nameOrPath: string) {
    super(`scenario ${JSON.stringify(nameOrPath)} is neither a named scenario (${Object.keys(scenarios).join(', ')}) nor a file`);
  }
}

/**
 * A named scenario, or a path to a user's file (.ts/.js exporting default `defineScenario({...})`,
 * or .json). Validated with the schema; errors name the file and the field.
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const named = scenarios[nameOrPath];
  if (named) return parseScenario(named, `scenarios/${nameOrPath}.ts`);
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new UnknownScenarioError(nameOrPath);
  let data: unknown;
  if (path.endsWith('.json')) {
    const { readFileSync } = await import('node:fs');
    data = JSON.parse(readFileSync(path, 'utf8'));
  } else {
    const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    data = mod.default;
  }
  return parseScenario(data, nameOrPath);
}

export { ScenarioParseError };
