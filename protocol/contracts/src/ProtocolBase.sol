// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {P} from "./Params.sol";
import {ProtocolState} from "./ProtocolState.sol";
import {InsufficientBalance, InvalidParams, NotGovernor, NotOperator, NotSettler} from "./Rejections.sol";

/// Immutables and helpers shared by the protocol modules (their storage is ProtocolState). Time:
/// the model's clock is `(block.timestamp - genesisTimestamp) * 1000` ms, so live runs act on
/// whole seconds.
abstract contract ProtocolBase is ProtocolState {
    using SafeERC20 for IERC20;

    IERC20 public immutable one;
    IERC20 public immutable usdc;
    uint256 public immutable genesisTimestamp;
    /// Posts settlements (payout roots and the receipts they pay).
    address public immutable settler;
    /// Relays actions whose validity depends on off-chain market state, with those facts.
    address public immutable operator;

    constructor(IERC20 one_, IERC20 usdc_, uint256 genesisTimestamp_, address settler_, address operator_, uint256[43] memory params_) {
        uint256 bad = P.firstInvalid(params_);
        if (bad != P.COUNT) revert InvalidParams(bad);
        one = one_;
        usdc = usdc_;
        genesisTimestamp = genesisTimestamp_;
        settler = settler_;
        operator = operator_;
        params = params_;
    }

    modifier onlySettler() {
        if (msg.sender != settler) revert NotSettler(msg.sender);
        _;
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    function _onlyGovernor() internal view {
        if (msg.sender != address(uint160(params[P.GOVERNOR]))) revert NotGovernor(msg.sender);
    }

    function _nowMs() internal view returns (uint256) {
        return (block.timestamp - genesisTimestamp) * 1000;
    }

    /// Moves `amount` from `from` into the protocol, rejecting like the model when short.
    function _pull(IERC20 token, address from, uint256 amount) internal {
        uint256 have = token.balanceOf(from);
        if (have < amount) revert InsufficientBalance(from, have, amount);
        token.safeTransferFrom(from, address(this), amount);
    }

    function _push(IERC20 token, address to, uint256 amount) internal {
        if (amount > 0) token.safeTransfer(to, amount);
    }

    /// ceil(a / b) for b > 0: fees and take round in the protocol's favour.
    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }

    /// A holder's stake at the start of the current day (the lazy snapshot, Staking.sol).
    function _snapshotOf(Holder storage h) internal view returns (uint256) {
        return h.snapDayPlus1 < dayPlus1 ? h.stakedOneWei : h.snapshotOneWei;
    }

    /// floor(A · stake · σ / T) at or above the threshold, else nothing.
    function _credits(AllotmentTerms memory k, uint256 stakeOneWei) internal pure returns (uint256) {
        if (k.sigmaDen == 0 || stakeOneWei < k.stakeThresholdOneWei) return 0;
        return (k.creditsPerThresholdCu * stakeOneWei * k.sigmaNum) / (k.stakeThresholdOneWei * k.sigmaDen);
    }

    function _allotmentCu(address holder) internal view returns (uint256) {
        return _credits(terms, _snapshotOf(holders[holder]));
    }
}
