// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ProtocolBase} from "./ProtocolBase.sol";
import {P} from "./Params.sol";
import {Receipts} from "./Receipts.sol";
import {
    AttestationExpired,
    BadAttestation,
    BondLocked,
    BondTooSmall,
    InsufficientBalance,
    InvalidAmount,
    InvalidWorkerConfig,
    KycRequired,
    NotJailed,
    UnknownWorker,
    WorkerAlreadyRegistered,
    WorkerJailed,
    WorkerNotActive
} from "./Rejections.sol";

/// The worker registry: a USDC bond, the models served (content ids) and slots; KYC
/// attestations (EIP-712, signed by a listed attestor, checked with ecrecover), bond top-ups
/// and the jail that Proof-of-AI slashing sets (protocol/handlers/registry.ts, kyc.ts).
abstract contract Registry is ProtocolBase, Receipts {
    /// A KYC attestation as the model's action carries it (`present` false: none). The attestor
    /// is named so that the checks run in the model's order; the signature must recover to it.
    struct Attestation {
        bool present;
        address worker;
        address attestor;
        bytes32 identityHash;
        uint64 expiresAtMs;
        bytes signature;
    }

    bytes32 internal constant ATTESTATION_TYPEHASH =
        keccak256("Attestation(address worker,bytes32 identityHash,uint64 expiresAt)");

    event WorkerRegistered(address indexed worker, uint256 bondMicroUsdc);
    event WorkerOnline(address indexed worker, bool online);
    event WorkerExiting(address indexed worker, uint256 bondReleaseAtMs);
    event BondWithdrawn(address indexed worker, uint256 amountMicroUsdc);
    event AttestationRenewed(address indexed worker, uint256 expiresAtMs);
    event BondToppedUp(address indexed worker, uint256 amountMicroUsdc);
    event JailReleased(address indexed worker);

    function registerWorker(
        bytes32[] calldata models,
        uint256 slots,
        uint256 capacityCuPerSec,
        uint256 bondMicroUsdc,
        Attestation calldata attestation
    ) external {
        Worker storage w = workers[msg.sender];
        if (w.status == Status.Active || w.status == Status.Exiting) revert WorkerAlreadyRegistered(msg.sender);
        if (models.length == 0 || models.length > params[P.WORKER_MODELS_MAX]) revert InvalidWorkerConfig(0);
        for (uint256 i = 1; i < models.length; i++) {
            for (uint256 j = 0; j < i; j++) {
                if (models[i] == models[j]) revert InvalidWorkerConfig(0);
            }
        }
        if (slots < 1 || slots > params[P.WORKER_SLOTS_MAX]) revert InvalidWorkerConfig(1);
        if (capacityCuPerSec == 0) revert InvalidWorkerConfig(2);
        uint256 bondMin = params[P.WORKER_BOND_MIN];
        if (bondMicroUsdc < bondMin) revert BondTooSmall(bondMicroUsdc, bondMin);
        uint256 have = usdc.balanceOf(msg.sender);
        if (have < bondMicroUsdc) revert InsufficientBalance(msg.sender, have, bondMicroUsdc);
        _checkAttestation(msg.sender, attestation);
        _pull(usdc, msg.sender, bondMicroUsdc);
        // A returning worker keeps its jail: slashing history outlives an exit.
        w.status = Status.Active;
        w.online = true;
        w.slots = slots;
        w.capacityCuPerSec = capacityCuPerSec;
        w.bondMicroUsdc = bondMicroUsdc;
        w.bondReleaseAtMs = 0;
        w.models = models;
        w.identityHash = attestation.present ? attestation.identityHash : bytes32(0);
        w.attestationExpiresAtMs = attestation.present ? attestation.expiresAtMs : 0;
        emit WorkerRegistered(msg.sender, bondMicroUsdc);
    }

    function setWorkerOnline(bool online) external {
        Worker storage w = workers[msg.sender];
        if (w.status != Status.Active) revert WorkerNotActive(msg.sender);
        w.online = online;
        emit WorkerOnline(msg.sender, online);
    }

    /// Leaving: no new jobs; the bond stays slashable for `workerUnbondingMs`.
    function exitWorker() external {
        Worker storage w = workers[msg.sender];
        if (w.status != Status.Active) revert WorkerNotActive(msg.sender);
        w.status = Status.Exiting;
        w.bondReleaseAtMs = _nowMs() + params[P.WORKER_UNBONDING_MS];
        emit WorkerExiting(msg.sender, w.bondReleaseAtMs);
    }

    /// The operator relays the withdrawal with the off-chain fact it depends on: how many jobs
    /// the worker still runs. The bond goes to the worker.
    function withdrawBond(address worker, uint256 activeJobs) external onlyOperator {
        Worker storage w = workers[worker];
        if (w.status == Status.None) revert UnknownWorker(worker);
        if (w.status != Status.Exiting) revert WorkerNotActive(worker);
        if (_nowMs() < w.bondReleaseAtMs || activeJobs > 0) revert BondLocked(worker, w.bondReleaseAtMs);
        uint256 amount = w.bondMicroUsdc;
        w.bondMicroUsdc = 0;
        w.status = Status.Exited;
        _push(usdc, worker, amount);
        emit BondWithdrawn(worker, amount);
    }

    function renewAttestation(Attestation calldata attestation) external {
        Worker storage w = workers[msg.sender];
        if (w.status == Status.None || w.status == Status.Exited) revert UnknownWorker(msg.sender);
        _checkAttestation(msg.sender, attestation);
        w.identityHash = attestation.identityHash;
        w.attestationExpiresAtMs = attestation.expiresAtMs;
        emit AttestationRenewed(msg.sender, attestation.expiresAtMs);
    }

    function topUpBond(uint256 amountMicroUsdc) external {
        Worker storage w = workers[msg.sender];
        if (w.status == Status.None || w.status == Status.Exited) revert UnknownWorker(msg.sender);
        if (amountMicroUsdc == 0) revert InvalidAmount(0);
        _pull(usdc, msg.sender, amountMicroUsdc);
        w.bondMicroUsdc += amountMicroUsdc;
        emit BondToppedUp(msg.sender, amountMicroUsdc);
    }

    /// A jailed worker is released after `jailMs` if its bond is back at the minimum.
    function releaseJail() external {
        Worker storage w = workers[msg.sender];
        if (w.status == Status.None) revert UnknownWorker(msg.sender);
        if (!w.jailed) revert NotJailed(msg.sender);
        if (_nowMs() < w.jailedUntilMs) revert WorkerJailed(msg.sender, w.jailedUntilMs);
        uint256 bondMin = params[P.WORKER_BOND_MIN];
        if (w.bondMicroUsdc < bondMin) revert BondTooSmall(w.bondMicroUsdc, bondMin);
        w.jailed = false;
        emit JailReleased(msg.sender);
    }

    /// kyc.ts `checkAttestation`, check for check.
    function _checkAttestation(address worker, Attestation calldata a) internal view {
        if (params[P.KYC_REQUIRED] == 0) return;
        if (!a.present) revert KycRequired(worker);
        if (a.worker != worker) revert BadAttestation(a.worker);
        if (!_isAttestor(a.attestor)) revert BadAttestation(a.attestor);
        uint256 nowMs = _nowMs();
        if (a.expiresAtMs <= nowMs) revert AttestationExpired(a.expiresAtMs, nowMs);
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(ATTESTATION_TYPEHASH, a.worker, a.identityHash, a.expiresAtMs)));
        (address signer,,) = ECDSA.tryRecoverCalldata(digest, a.signature);
        if (signer == address(0) || signer != a.attestor) revert BadAttestation(signer);
    }

    function _isAttestor(address who) internal view returns (bool) {
        if (who == address(0)) return false;
        for (uint256 i = 0; i < P.ATTESTORS_MAX; i++) {
            if (address(uint160(params[P.ATTESTOR_0 + i])) == who) return true;
        }
        return false;
    }
}
