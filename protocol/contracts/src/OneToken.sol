// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {BoundaryToken} from "./BoundaryToken.sol";

/// $ONE: 18 decimals (ERC20's default).
contract OneToken is BoundaryToken {
    constructor() ERC20("ONE", "ONE") {}
}
