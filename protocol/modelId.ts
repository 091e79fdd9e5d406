import { createHash } from 'node:crypto';
import type { Hex } from './types.ts';

/**
 * A model's protocol id (bytes32): sha256 of its bytes. Models the simulator only names (no
 * weights) use the bytes of their name.
 */
export const modelIdOf = (content: string | Uint8Array): Hex =>
  `0x${createHash('sha256').update(content).digest('hex')}`;
