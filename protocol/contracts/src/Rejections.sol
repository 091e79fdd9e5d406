// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// The rejection codes of protocol/rejections.ts, one custom error each and named exactly like
// the code, so a revert maps 1:1 to the model's rejection. Arguments are diagnostics only.
// Codes of purely off-chain actions (jobs, receipts, dispatch) have no error here.

error InvalidAmount(uint256 amount);
error InsufficientBalance(address account, uint256 have, uint256 want);
error InsufficientStake(address holder, uint256 staked, uint256 want);
error NothingToClaim(address holder);
error WrongDay(uint256 expected, uint256 got);
error TooEarly(uint256 nowMs, uint256 atMs);
error UnknownReservation(uint256 reservationId);
error ReservationOpenJobs(uint256 reservationId, uint256 openJobs);
error ReservationEnded(uint256 reservationId);
error InvalidReservation(uint8 field);
error WrongEpoch(uint256 expected, uint256 got);
error UnknownSettlement(uint256 epoch);
error AlreadyClaimed(uint256 epoch, address worker);
error InvalidProof(uint256 epoch, address worker, uint256 amountMicroUsdc);
error NotGovernor(address sender);
error UnknownProposal(uint256 proposalId);
error TimelockNotElapsed(uint256 nowMs, uint256 etaMs);
error InvalidParams(uint256 param);
error ParamImmutable(uint256 param);
error WorkerAlreadyRegistered(address worker);
error UnknownWorker(address worker);
error BondTooSmall(uint256 bondMicroUsdc, uint256 minMicroUsdc);
error WorkerNotActive(address worker);
error BondLocked(address worker, uint256 releaseAtMs);
error InvalidWorkerConfig(uint8 field);
error KycRequired(address worker);
error BadAttestation(address who);
error AttestationExpired(uint256 expiresAtMs, uint256 nowMs);
error WorkerJailed(address worker, uint256 jailedUntilMs);
error NotJailed(address worker);
error UnknownOracle(address oracle);
error OracleAlreadyRegistered(address oracle);
error NotOnCommittee(uint256 jobId, address oracle);
error AlreadyVoted(uint256 jobId, address oracle);
error UnknownAudit(uint256 jobId);

// Chain-only errors, not model rejections: who may post off-chain facts, and facts that do not
// add up. A correctly driven run never hits them; the live driver reports one as a divergence.
error NotSettler(address sender);
error NotOperator(address sender);
error SettlementMismatch(uint8 field, uint256 expected, uint256 got);
