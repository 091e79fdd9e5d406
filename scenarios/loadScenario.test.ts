import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioFileError, ScenarioParseError } from './loadScenario.ts';

const tiny = {
  name: 'user-file',
  question: 'Does a user’s own scenario file load from any folder?',
  days: 1,
  models: [{ name: 'chat-s', cuPerRequest: 400, weight: 1 }],
  holders: { count: 30 },
  sponsors: { count: 1 },
  workers: { count: 2 },
};

// Outside the repository, with no package.json: .ts and .js files there are CommonJS to Node.
const dir = mkdtempSync(join(tmpdir(), 'onesim-load-'));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const failure = async (file: string): Promise<ScenarioParseError> => {
  try {
    await loadScenario(file);
  } catch (e) {
    if (e instanceof ScenarioParseError) return e;
    throw e;
  }
  throw new Error(`${file} loaded`);
};

describe('loadScenario', () => {
  it('loads a default export from .ts, .mts, .cts, .js, .mjs and .cjs files in any folder, and .json', async () => {
    const esm = (name: string) => `export default ${JSON.stringify({ ...tiny, name })};\n`;
    const files = {
      'a.ts': `const s: { name: string } & Record<string, unknown> = ${JSON.stringify({ ...tiny, name: 'a-ts' })};\nexport default s;\n`,
      'b.mts': esm('b-mts'),
      'c.cts': esm('c-cts'),
      'd.js': esm('d-js'),
      'e.mjs': esm('e-mjs'),
      'f.cjs': `module.exports = ${JSON.stringify({ ...tiny, name: 'f-cjs' })};\n`,
      'g.json': JSON.stringify({ ...tiny, name: 'g-json' }),
    };
    for (const [file, text] of Object.entries(files)) {
      const s = await loadScenario(write(file, text));
      expect(s.name, file).toBe(files[file as keyof typeof files].match(/[a-g]-[a-z]+/)![0]);
      expect(s.workers.count).toBe(2);
    }
  });

  it('names file:line:column of a TypeScript syntax error and of bad JSON', async () => {
    const ts = await failure(
      write('broken.ts', 'export default {\n  name: "x",\n  days: 1,,\n};\n'),
    );
    expect(ts).toBeInstanceOf(ScenarioFileError);
    expect(ts.message).toMatch(/broken\.ts:3:11: syntax error: /);
    const json = await failure(
      write('broken.json', '{\n  "name": "x",\n  "days": 1\n  "models": []\n}\n'),
    );
    expect(json.message).toMatch(/broken\.json:4:3: not valid JSON: /);
    const garbage = await failure(write('garbage.json', '\u0000\u00ffnot json'));
    expect(garbage.message).toMatch(/garbage\.json:1:1: not valid JSON: /);
  });

  it('says what is wrong with a file that loads but holds no scenario', async () => {
    expect((await failure(write('none.mts', 'export const x = 1;\n'))).message).toContain(
      'has no default export',
    );
    expect((await failure(write('throws.mts', 'throw new Error("boom");\n'))).message).toContain(
      'cannot load: boom',
    );
    expect((await failure(write('scenario.yaml', 'name: x\n'))).message).toContain(
      'unsupported file type ".yaml"',
    );
  });
});
