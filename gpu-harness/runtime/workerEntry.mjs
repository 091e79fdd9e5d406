// Piscina loads plain JavaScript; register the TypeScript loader in this worker, then hand over.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
