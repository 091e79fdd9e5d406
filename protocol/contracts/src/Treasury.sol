// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ProtocolBase} from "./ProtocolBase.sol";
import {InvalidAmount} from "./Rejections.sol";

/// Anyone may give USDC to the treasury (genesis funding, grants).
abstract contract Treasury is ProtocolBase {
    event TreasuryFunded(address indexed from, uint256 amountMicroUsdc);

    function fundTreasury(uint256 amountMicroUsdc) external {
        if (amountMicroUsdc == 0) revert InvalidAmount(amountMicroUsdc);
        _pull(usdc, msg.sender, amountMicroUsdc);
        treasuryMicroUsdc += amountMicroUsdc;
        emit TreasuryFunded(msg.sender, amountMicroUsdc);
    }
}
