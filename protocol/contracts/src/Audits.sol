// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {P} from "./Params.sol";
import {Registry} from "./Registry.sol";
import {
    AlreadyVoted,
    NotOnCommittee,
    OracleAlreadyRegistered,
    SettlementMismatch,
    UnknownAudit,
    UnknownOracle
} from "./Rejections.sol";

/// Proof-of-AI (protocol/handlers/audits.ts). Oracles are added and removed by the governor.
/// At settlement of epoch e the settler posts the audits opened for epoch e's receipts: each
/// sampled receipt with the worker's EIP-712 signature and its committee. The chain checks the
/// signature (ecrecover), that the receipt finished in epoch e, and that the committee has
/// min(k, active oracles) distinct active oracles. Committee oracles vote the digest they got by
/// re-executing; a vote is a mismatch when it differs from the signed resultHash. Before epoch
/// e's receipts are paid (settlement of e + 1) each voter earns its fee from the treasury and a
/// quorum of mismatches slashes the bond (bounty to the first reporter, the rest to the
/// treasury) and jails the worker.
abstract contract Audits is Registry {
    struct AuditPost {
        Receipt receipt;
        bytes signature;
        address[] committee;
    }

    event OracleRegistered(address indexed oracle);
    event OracleRemoved(address indexed oracle);
    event AuditOpened(uint256 indexed jobId, address indexed worker, uint256 epoch);
    event AuditVote(uint256 indexed jobId, address indexed oracle, bool mismatch);
    event AuditResolved(uint256 indexed jobId, address indexed worker, uint256 mismatches, bool confirmed);
    event Slashed(address indexed worker, uint256 slashedMicroUsdc, address reporter, uint256 bountyMicroUsdc);

    function registerOracle(address oracle) external {
        _onlyGovernor();
        if (oracleActive[oracle]) revert OracleAlreadyRegistered(oracle);
        oracleActive[oracle] = true;
        activeOracles += 1;
        emit OracleRegistered(oracle);
    }

    function removeOracle(address oracle) external {
        _onlyGovernor();
        if (!oracleActive[oracle]) revert UnknownOracle(oracle);
        oracleActive[oracle] = false;
        activeOracles -= 1;
        emit OracleRemoved(oracle);
    }

    /// A committee oracle reports the result digest it got by re-executing the job.
    function auditVerdict(uint256 jobId, bytes32 resultHash) external {
        Audit storage a = audits[jobId];
        if (!a.open) revert UnknownAudit(jobId);
        if (!oracleActive[msg.sender]) revert UnknownOracle(msg.sender);
        bool member = false;
        for (uint256 i = 0; i < a.committee.length && !member; i++) member = a.committee[i] == msg.sender;
        if (!member) revert NotOnCommittee(jobId, msg.sender);
        for (uint256 i = 0; i < a.votes.length; i++) {
            if (a.votes[i].oracle == msg.sender) revert AlreadyVoted(jobId, msg.sender);
        }
        bool mismatch = resultHash != a.resultHash;
        a.votes.push(Vote(msg.sender, mismatch));
        emit AuditVote(jobId, msg.sender, mismatch);
    }

    /// The audits of epoch `epoch`'s sampled receipts, as the settler posts them.
    function _openAudits(uint256 epoch, AuditPost[] calldata posts) internal {
        if (posts.length == 0) return;
        uint256 n = activeOracles;
        if (params[P.AUDIT_SAMPLE_NUM] == 0 || n < params[P.AUDIT_QUORUM]) revert SettlementMismatch(40, n, posts.length);
        uint256 k = params[P.AUDIT_COMMITTEE_SIZE];
        uint256 size = k < n ? k : n;
        uint256 epochMs = params[P.SETTLEMENT_EPOCH_MS];
        for (uint256 i = 0; i < posts.length; i++) {
            AuditPost calldata post = posts[i];
            Receipt calldata r = post.receipt;
            (address signer,,) = ECDSA.tryRecoverCalldata(receiptDigest(r), post.signature);
            if (signer == address(0) || signer != r.worker) revert SettlementMismatch(41, r.jobId, uint160(signer));
            if (r.finishedAt / epochMs != epoch) revert SettlementMismatch(42, epoch, r.finishedAt);
            _checkCommittee(post.committee, size);
            Audit storage a = audits[r.jobId];
            if (a.open) revert SettlementMismatch(45, r.jobId, 0);
            a.open = true;
            a.epoch = epoch;
            a.worker = r.worker;
            a.resultHash = r.resultHash;
            a.committee = post.committee;
            auditsByEpoch[epoch].push(r.jobId);
            emit AuditOpened(r.jobId, r.worker, epoch);
        }
        openAuditCount += posts.length;
    }

    function _checkCommittee(address[] calldata c, uint256 size) internal view {
        if (c.length != size) revert SettlementMismatch(43, size, c.length);
        for (uint256 i = 0; i < c.length; i++) {
            if (!oracleActive[c[i]]) revert SettlementMismatch(44, i, uint160(c[i]));
            for (uint256 j = 0; j < i; j++) {
                if (c[i] == c[j]) revert SettlementMismatch(44, i, uint160(c[i]));
            }
        }
    }

    /// Before epoch `epoch`'s receipts are paid: fees to the voters, slashing on a quorum.
    function _resolveAudits(uint256 epoch) internal {
        uint256[] storage ids = auditsByEpoch[epoch];
        for (uint256 i = 0; i < ids.length; i++) {
            Audit storage a = audits[ids[i]];
            uint256 mismatches = 0;
            address reporter = address(0);
            for (uint256 j = 0; j < a.votes.length; j++) {
                Vote storage v = a.votes[j];
                _payOracle(v.oracle);
                if (v.mismatch) {
                    mismatches += 1;
                    if (reporter == address(0)) reporter = v.oracle;
                }
            }
            bool confirmed = mismatches >= params[P.AUDIT_QUORUM];
            address worker = a.worker;
            emit AuditResolved(ids[i], worker, mismatches, confirmed);
            delete audits[ids[i]];
            if (confirmed) _slash(worker, reporter);
        }
        openAuditCount -= ids.length;
        delete auditsByEpoch[epoch];
    }

    function _payOracle(address oracle) internal {
        uint256 fee = params[P.ORACLE_FEE];
        if (fee > treasuryMicroUsdc) fee = treasuryMicroUsdc;
        if (fee == 0) return;
        treasuryMicroUsdc -= fee;
        _push(usdc, oracle, fee);
    }

    /// Withholding needs no transfer here: the settler leaves the worker's unsettled receipts out
    /// of later postings (their refunds travel with them, see Settlement.Source.voidedUnits).
    function _slash(address worker, address reporter) internal {
        Worker storage w = workers[worker];
        uint256 slashed = (w.bondMicroUsdc * params[P.SLASH_NUM]) / params[P.SLASH_DEN];
        uint256 bounty = reporter == address(0) ? 0 : (slashed * params[P.BOUNTY_NUM]) / params[P.BOUNTY_DEN];
        w.bondMicroUsdc -= slashed;
        treasuryMicroUsdc += slashed - bounty;
        _push(usdc, reporter, bounty);
        w.jailed = true;
        w.jailedUntilMs = _nowMs() + params[P.JAIL_MS];
        emit Slashed(worker, slashed, reporter, bounty);
    }
}
