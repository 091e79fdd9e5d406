// Regenerates examples/basic-actions.json: npx tsx examples/writeBasicActions.ts
import { writeFileSync } from 'node:fs';
import { basicActions } from './basicActions.ts';

writeFileSync(new URL('./basic-actions.json', import.meta.url), basicActions());
