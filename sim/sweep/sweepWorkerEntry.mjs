// Pool threads load plain JavaScript: register the TypeScript loader, then expose the task.
import { register } from 'tsx/esm/api';

register();
const { runTask } = await import('./runTask.ts');

export default runTask;
