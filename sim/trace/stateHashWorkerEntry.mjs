// Worker threads load plain JavaScript: the compiled worker beside this file (dist/), or else the
// TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('./stateHashWorker.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./stateHashWorker.ts');
}
