/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// Every module of protocol/ loads. Imported lazily, inside a test, on purpose: a mutant that
// makes a module throw while loading (a broken zod schema, say) fails every file that imports
// it before any test runs, and Stryker's vitest runner counts a run with no test as "survived".
// Here the failure happens inside a test, so it counts as what it is: caught (docs/auditing.md).
const modules = import.meta.glob([
  './**/*.ts',
  '!./**/*.test.ts',
  '!./**/*.bench.ts',
  '!./contracts/**',
  '!./testing/**',
]);

describe('protocol modules', () => {
  it('are all found', () => {
    expect(Object.keys(modules).length).toBeGreaterThan(30);
    expect(Object.keys(modules)).toContain('./actionSchema.ts');
  });

  it.each(Object.keys(modules).sort())('%s loads', async (path) => {
    await expect(modules[path]!()).resolves.toBeTypeOf('object');
  });
});
