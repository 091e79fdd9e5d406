// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ProtocolBase} from "./ProtocolBase.sol";
import {P} from "./Params.sol";
import {
    InvalidParams,
    ParamImmutable,
    TimelockNotElapsed,
    UnknownProposal
} from "./Rejections.sol";

/// Parameter changes through a timelock. A proposal is a list of (parameter id, value); the
/// settlement calendar is immutable; the whole parameter set is re-validated at execution.
abstract contract Governance is ProtocolBase {
    event ProposalQueued(uint256 indexed proposalId, uint256 etaMs);
    event ProposalExecuted(uint256 indexed proposalId);
    event ProposalCancelled(uint256 indexed proposalId);

    function proposeParams(Change[] calldata changes) external {
        _onlyGovernor();
        for (uint256 i = 0; i < changes.length; i++) {
            if (P.isImmutable(changes[i].id)) revert ParamImmutable(changes[i].id);
        }
        for (uint256 i = 0; i < changes.length; i++) {
            if (changes[i].id >= P.COUNT) revert InvalidParams(changes[i].id);
        }
        _applied(changes);
        uint256 id = nextProposalId++;
        Proposal storage prop = proposals[id];
        prop.queued = true;
        prop.etaMs = _nowMs() + params[P.TIMELOCK_MS];
        for (uint256 i = 0; i < changes.length; i++) prop.changes.push(changes[i]);
        emit ProposalQueued(id, prop.etaMs);
    }

    /// Anyone may execute once the timelock has passed; other changes may have executed since
    /// it was queued, so the result is validated again.
    function executeProposal(uint256 proposalId) external {
        Proposal storage prop = proposals[proposalId];
        if (!prop.queued) revert UnknownProposal(proposalId);
        uint256 nowMs = _nowMs();
        if (nowMs < prop.etaMs) revert TimelockNotElapsed(nowMs, prop.etaMs);
        params = _applied(prop.changes);
        delete proposals[proposalId];
        emit ProposalExecuted(proposalId);
    }

    function cancelProposal(uint256 proposalId) external {
        _onlyGovernor();
        if (!proposals[proposalId].queued) revert UnknownProposal(proposalId);
        delete proposals[proposalId];
        emit ProposalCancelled(proposalId);
    }

    /// The current parameters with `changes` applied, or InvalidParams naming the first bad one.
    function _applied(Change[] memory changes) internal view returns (uint256[43] memory p) {
        p = params;
        for (uint256 i = 0; i < changes.length; i++) p[changes[i].id] = changes[i].value;
        uint256 bad = P.firstInvalid(p);
        if (bad != P.COUNT) revert InvalidParams(bad);
    }
}
