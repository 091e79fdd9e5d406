// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {BoundaryToken} from "./BoundaryToken.sol";

/// A 6-decimal stand-in for USDC on development chains.
contract TestUsdc is BoundaryToken {
    constructor() ERC20("Test USDC", "USDC") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
