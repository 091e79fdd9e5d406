// Worker threads load plain JavaScript; register the TypeScript loader here, then start the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
