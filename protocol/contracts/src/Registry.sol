// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ProtocolBase} from "./ProtocolBase.sol";
import {P} from "./Params.sol";
import {
    BondLocked,
    BondTooSmall,
    InvalidWorkerConfig,
    UnknownWorker,
    WorkerAlreadyRegistered,
    WorkerNotActive
} from "./Rejections.sol";

/// The worker registry: a USDC bond, the models served (content ids) and slots. The
/// verification layer plugs in through `_admit` (KYC attestations) and the `jailed` flag.
abstract contract Registry is ProtocolBase {
    enum Status {
        None,
        Active,
        Exiting,
        Exited
    }

    struct Worker {
        Status status;
        bool online;
        bool jailed;
        uint256 slots;
        uint256 capacityCuPerSec;
        uint256 bondMicroUsdc;
        /// When an exiting worker may withdraw its bond; slashable until then.
        uint256 bondReleaseAtMs;
        bytes32[] models;
    }

    mapping(address => Worker) internal workers;

    event WorkerRegistered(address indexed worker, uint256 bondMicroUsdc);
    event WorkerOnline(address indexed worker, bool online);
    event WorkerExiting(address indexed worker, uint256 bondReleaseAtMs);
    event BondWithdrawn(address indexed worker, uint256 amountMicroUsdc);

    function registerWorker(bytes32[] calldata models, uint256 slots, uint256 capacityCuPerSec, uint256 bondMicroUsdc)
        external
    {
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
        _admit(msg.sender);
        _pull(usdc, msg.sender, bondMicroUsdc);
        w.status = Status.Active;
        w.online = true;
        w.jailed = false;
        w.slots = slots;
        w.capacityCuPerSec = capacityCuPerSec;
        w.bondMicroUsdc = bondMicroUsdc;
        w.bondReleaseAtMs = 0;
        w.models = models;
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

    /// Extension point: the verification layer checks a KYC attestation here.
    function _admit(address worker) internal virtual {}
}
