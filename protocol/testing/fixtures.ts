/** Deterministic addresses and digests: the random runs' own (protocol/audit/ids.ts). */
export { addr, hash32 } from '../audit/ids.ts';

/** A model id (bytes32) for a simulated model name: sha256 of the name, like sha256 of bytes. */
export { modelIdOf as modelId } from '../modelId.ts';

/** A KYC attestation by the first configured attestor, in the simulator's cheap scheme; a year long. */
export { simAttestationFor } from '../receipts/simAttestor.ts';
