// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ProtocolBase} from "./ProtocolBase.sol";
import {P} from "./Params.sol";
import {InsufficientStake, InvalidAmount, NothingToClaim} from "./Rejections.sol";

/// Staking with unbonding. The day snapshot is lazy: a holder's stake at the start of the day
/// is saved the first time it changes during that day, so `startDay` writes nothing per holder.
abstract contract Staking is ProtocolBase {
    event Staked(address indexed holder, uint256 amountOneWei);
    event UnstakeStarted(address indexed holder, uint256 amountOneWei, uint256 releaseAtMs);
    event UnbondedClaimed(address indexed holder, uint256 amountOneWei);

    function stake(uint256 amountOneWei) external {
        if (amountOneWei == 0) revert InvalidAmount(amountOneWei);
        _pull(one, msg.sender, amountOneWei);
        Holder storage h = holders[msg.sender];
        if (!h.known) {
            h.known = true;
            holderList.push(msg.sender);
        }
        _keepSnapshot(h);
        h.stakedOneWei += amountOneWei;
        emit Staked(msg.sender, amountOneWei);
    }

    function unstake(uint256 amountOneWei) external {
        if (amountOneWei == 0) revert InvalidAmount(amountOneWei);
        Holder storage h = holders[msg.sender];
        if (h.stakedOneWei < amountOneWei) revert InsufficientStake(msg.sender, h.stakedOneWei, amountOneWei);
        _keepSnapshot(h);
        h.stakedOneWei -= amountOneWei;
        uint256 releaseAtMs = _nowMs() + params[P.UNSTAKE_UNBONDING_MS];
        h.unbonding.push(Unbonding(amountOneWei, releaseAtMs));
        emit UnstakeStarted(msg.sender, amountOneWei, releaseAtMs);
    }

    /// Pays every matured unbonding; the others stay, in order.
    function claimUnbonded() external {
        Holder storage h = holders[msg.sender];
        uint256 nowMs = _nowMs();
        uint256 n = h.unbonding.length;
        uint256 kept = 0;
        uint256 amount = 0;
        for (uint256 i = 0; i < n; i++) {
            Unbonding memory u = h.unbonding[i];
            if (u.releaseAtMs <= nowMs) {
                amount += u.amountOneWei;
            } else {
                if (kept != i) h.unbonding[kept] = u;
                kept++;
            }
        }
        if (kept == n) revert NothingToClaim(msg.sender);
        for (uint256 i = kept; i < n; i++) h.unbonding.pop();
        _push(one, msg.sender, amount);
        emit UnbondedClaimed(msg.sender, amount);
    }

    function _keepSnapshot(Holder storage h) internal {
        if (h.snapDayPlus1 < dayPlus1) {
            h.snapshotOneWei = h.stakedOneWei;
            h.snapDayPlus1 = dayPlus1;
        }
    }
}
