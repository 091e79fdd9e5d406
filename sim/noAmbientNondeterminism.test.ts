import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const simRoot = fileURLToPath(new URL('.', import.meta.url));
// Benchmarks measure wall time on purpose; tests may mention the names they forbid.
const exempt = (path: string) => path.endsWith('.bench.ts') || path.endsWith('.test.ts');
const forbidden = /Math\.random|Date\.now|performance\.now|new Date\(/;

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, found);
    else if (path.endsWith('.ts') && !exempt(path)) found.push(path);
  }
  return found;
}

describe('sim/ determinism', () => {
  it('reads no ambient clock or randomness (inject them instead)', () => {
    const offenders = sourceFiles(simRoot)
      .filter((path) => forbidden.test(readFileSync(path, 'utf8')))
      .map((path) => relative(simRoot, path));
    expect(offenders).toEqual([]);
  });
});
