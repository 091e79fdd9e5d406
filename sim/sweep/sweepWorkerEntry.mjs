// Pool threads load plain JavaScript: the compiled task beside this file (dist/), or else the
// TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('./runTask.js', import.meta.url);
let mod;
if (existsSync(fileURLToPath(compiled))) mod = await import(compiled.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('./runTask.ts');
}

export default mod.runTask;
