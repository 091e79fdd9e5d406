// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ProtocolBase} from "./ProtocolBase.sol";
import {ProtocolViews} from "./ProtocolViews.sol";
import {Treasury} from "./Treasury.sol";

/// The on-chain part of the ONE protocol, rule for rule as protocol/handlers/*.ts: boundary
/// tokens aside, treasury, staking and day budgets, Dedicated reservations, settlement and
/// claims, the worker registry and timelocked governance. Jobs, dispatch and receipts stay off
/// chain; the settler and the operator post the facts the chain needs (see README.md).
contract OneProtocol is ProtocolViews, Treasury {
    constructor(
        IERC20 one_,
        IERC20 usdc_,
        uint256 genesisTimestamp_,
        address settler_,
        address operator_,
        uint256[43] memory params_
    ) ProtocolBase(one_, usdc_, genesisTimestamp_, settler_, operator_, params_) {}
}
