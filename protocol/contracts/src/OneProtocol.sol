// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Governance} from "./Governance.sol";
import {OneProtocolViews} from "./OneProtocolViews.sol";
import {ProtocolBase} from "./ProtocolBase.sol";
import {Settlement} from "./Settlement.sol";
import {Treasury} from "./Treasury.sol";

/// The on-chain part of the ONE protocol, rule for rule as protocol/handlers/*.ts: boundary
/// tokens aside, treasury, staking and day budgets, Dedicated reservations, settlement and
/// claims, the worker registry and timelocked governance. Jobs, dispatch and receipts stay off
/// chain; the settler and the operator post the facts the chain needs (see README.md). The bulk
/// views live in OneProtocolViews (EIP-170's 24 KB): calls this contract does not know go there.
contract OneProtocol is Governance, Settlement, Treasury {
    /// Deployed with this contract (same immutables); runs on this contract's storage.
    address public immutable views;

    constructor(
        IERC20 one_,
        IERC20 usdc_,
        uint256 genesisTimestamp_,
        address settler_,
        address operator_,
        uint256[43] memory params_
    ) ProtocolBase(one_, usdc_, genesisTimestamp_, settler_, operator_, params_) {
        views = address(new OneProtocolViews(one_, usdc_, genesisTimestamp_, settler_, operator_, params_));
    }

    /// Any other call runs OneProtocolViews' code on this storage (delegatecall), its result or
    /// revert returned as is. Every function there is a view.
    fallback() external {
        address target = views;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
