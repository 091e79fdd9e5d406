/**
 * Every reason an action can be refused. The contracts revert with a custom error of the same
 * name, so this list is also the on-chain error table.
 */
export const rejectionCodes = [
  'InvalidAction',
  'ClockWentBackwards',
  'InvalidAmount',
  'InsufficientBalance',
  'InsufficientStake',
  'NothingToClaim',
  'DayNotStarted',
  'WrongDay',
  'TooEarly',
  'UnknownReservation',
  'ReservationNotActive',
  'ReservationExhausted',
  'ReservationOpenJobs',
  'ReservationEnded',
  'NotReservationOwner',
  'ModelNotCovered',
  'InvalidReservation',
  'InsufficientCredits',
  'QueueFull',
  'UnknownJob',
  'JobNotRunning',
  'LeaseExpired',
  'WrongWorker',
  'ReceiptMismatch',
  'BadChainLink',
  'BadSignature',
  'WrongEpoch',
  'UnknownSettlement',
  'AlreadyClaimed',
  'InvalidProof',
  'NotGovernor',
  'UnknownProposal',
  'TimelockNotElapsed',
  'InvalidParams',
  'ParamImmutable',
  'WorkerAlreadyRegistered',
  'UnknownWorker',
  'BondTooSmall',
  'WorkerNotActive',
  'BondLocked',
  'InvalidWorkerConfig',
  'KycRequired',
  'BadAttestation',
  'AttestationExpired',
  'WorkerJailed',
  'NotJailed',
  'UnknownOracle',
  'OracleAlreadyRegistered',
  'NotOnCommittee',
  'AlreadyVoted',
  'UnknownAudit',
  'AvailabilityDayClosed',
  'InvalidDeployment',
  'DeploymentExists',
  'UnknownDeployment',
  'NotDeploymentOwner',
  'ReplicaNotPlaced',
  'ReplicaAlreadyReady',
  'LicenceBanned',
  'LicenceNotBanned',
] as const;

export type RejectionCode = (typeof rejectionCodes)[number];

export interface Rejection {
  ok: false;
  code: RejectionCode;
  message: string;
}

export const reject = (code: RejectionCode, message: string): Rejection => ({
  ok: false,
  code,
  message,
});
