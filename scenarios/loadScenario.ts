import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../protocol/errors.ts';
import {
  parseScenario,
  type Scenario,
  ScenarioFileError,
  ScenarioParseError,
} from '../sim/scenario/scenarioSchema.ts';
import { InputFileError, parseJsonText } from '../sim/validate/parseJsonFile.ts';
import { scenarios } from './named.ts';

export class UnknownScenarioError extends InputError {
  override name = 'UnknownScenarioError';
  constructor(readonly nameOrPath: string) {
    super(
      `scenario ${JSON.stringify(nameOrPath)} is neither a named scenario (${Object.keys(scenarios).join(', ')}) nor a file`,
      'scenario',
    );
  }
}

const moduleExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** esbuild's "file:line:column: ERROR: reason" inside tsx's TransformError. */
const transformFailure = /:(\d+):(\d+): ERROR: (.+)$/m;

/**
 * A user's scenario module from any folder, TypeScript or JavaScript, ES module or CommonJS
 * (a `.ts` file in a folder without `"type": "module"` is CommonJS to Node): tsx compiles it in
 * its own namespace, so it never meets the CLI's own loader. Returns its default export.
 */
async function importScenarioModule(path: string, shown: string): Promise<unknown> {
  const { tsImport } = await import('tsx/esm/api');
  let mod: { default?: unknown };
  try {
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as { default?: unknown };
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const syntax = transformFailure.exec(message);
    // esbuild's lines are 1-based and its columns 0-based.
    if (syntax)
      throw new ScenarioFileError(shown, `syntax error: ${syntax[3]}`, {
        line: Number(syntax[1]),
        column: Number(syntax[2]) + 1,
      });
    throw new ScenarioFileError(shown, `cannot load: ${message.split('\n')[0]}`, null);
  }
  // CommonJS through ESM interop: the namespace's default is module.exports, which holds the
  // file's own `export default` under `default` (marked __esModule by the compiler).
  const outer = mod.default as { __esModule?: boolean; default?: unknown } | undefined;
  const data = outer && typeof outer === 'object' && outer.__esModule ? outer.default : outer;
  if (data === undefined)
    throw new ScenarioFileError(
      shown,
      'has no default export (write `export default defineScenario({ ... })`)',
      null,
    );
  return data;
}

function readScenarioJson(path: string, shown: string): unknown {
  try {
    return parseJsonText(readFileSync(path, 'utf8'), shown);
  } catch (e) {
    if (e instanceof InputFileError) throw new ScenarioFileError(shown, e.reason, e.at);
    throw new ScenarioFileError(shown, `cannot read: ${(e as Error).message}`, null);
  }
}

/**
 * A named scenario, or a path to a user's file in any folder: `.ts`/`.mts`/`.cts`/`.js`/`.mjs`/
 * `.cjs` exporting default `defineScenario({...})`, or `.json`. Validated strictly with the
 * schema; errors name the file and the field (ScenarioParseError), or the file and line of a
 * syntax error (ScenarioFileError).
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const named = scenarios[nameOrPath];
  if (named) return parseScenario(named, `scenarios/${nameOrPath}.ts`);
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new UnknownScenarioError(nameOrPath);
  const ext = extname(path).toLowerCase();
  let data: unknown;
  if (ext === '.json') data = readScenarioJson(path, nameOrPath);
  else if (moduleExtensions.includes(ext)) data = await importScenarioModule(path, nameOrPath);
  else
    throw new ScenarioFileError(
      nameOrPath,
      `unsupported file type ${JSON.stringify(ext)}: a scenario is .json or a module (${moduleExtensions.join(', ')})`,
      null,
    );
  return parseScenario(data, nameOrPath);
}

export { ScenarioFileError, ScenarioParseError };
