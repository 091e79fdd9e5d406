import { sealedAuditOf } from '../../protocol/params.ts';
import type { SealedMode } from '../../protocol/types.ts';
import type { Simulation } from './simulation.ts';

/**
 * Whether a job a requester submits now is sealed, and if so whether its requester opts in to
 * audits (re-encrypts it to the committee). The simulator has no payloads: a sealed job is its
 * mode, and its requestHash stands for the ciphertext's digest. Draws only when the scenario seals
 * jobs, from its own stream, so runs without sealed jobs are unchanged.
 */
/** The field of an unsealed submission: one shared empty object, not one per job. */
const notSealed: { sealed?: SealedMode } = Object.freeze({});

export function sealedField(sim: Simulation): { sealed?: SealedMode } {
  const s = sim.scenario.sealedJobs;
  if (s === undefined || s.share === 0 || !sim.streams.sealing.bernoulli(s.share)) return notSealed;
  const optIn = s.auditOptInShare > 0 && sim.streams.sealing.bernoulli(s.auditOptInShare);
  return { sealed: optIn ? 'auditable' : 'private' };
}

/**
 * A sealed job audited under params.sealedAudit = 'tee' is checked by the worker's enclave
 * attestation, not by re-execution: with probability sealedJobs.teeFailureRate the attestation
 * verifies whatever result was sent (one draw per audit: every honest oracle sees the same).
 */
export function attestationPassesAnyway(sim: Simulation, jobId: number): boolean {
  const rate = sim.scenario.sealedJobs?.teeFailureRate ?? 0;
  if (rate === 0 || sealedAuditOf(sim.params) !== 'tee') return false;
  if (sim.state.jobs.get(jobId)?.sealed === undefined) return false;
  return sim.streams.sealing.bernoulli(rate);
}

/**
 * Where a targeting lazy worker fakes (sealedJobs.lazyTargetSealed): a job's sealed mode is public,
 * so it fakes only sealed jobs no oracle can read ('private' under 'opt-in', any under
 * 'unaudited') or, under 'tee', sealed jobs (an attestation may pass a fake; re-execution would not).
 */
export function weakestAudit(sim: Simulation, mode: SealedMode | undefined): boolean {
  if (mode === undefined) return false;
  const policy = sealedAuditOf(sim.params);
  return policy === 'unaudited' || policy === 'tee' || mode === 'private';
}
