import { parentPort } from 'node:worker_threads';
import { stateHash } from '../../protocol/stateHash.ts';
import type { State } from '../../protocol/types.ts';

// BackgroundStateHasher's thread: hashes each state it is sent and answers with its id.
parentPort!.on('message', (m: { id: number; state: State }) => {
  parentPort!.postMessage({ id: m.id, hash: stateHash(m.state) });
});
