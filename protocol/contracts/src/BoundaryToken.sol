// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {InsufficientBalance, InvalidAmount} from "./Rejections.sol";

/// A test token whose mint and burn are the model's boundary: `deposit` mints to the account,
/// `withdraw` burns from it. Anyone may mint: these tokens exist only on development chains.
abstract contract BoundaryToken is ERC20 {
    /// The supply is the model's deposited − withdrawn: a mint past uint256 is refused like the
    /// model's deposit (InvalidAmount), not left to overflow (a Panic the model has no code for).
    function mint(address to, uint256 amount) external {
        if (amount == 0 || amount > type(uint256).max - totalSupply()) revert InvalidAmount(amount);
        _mint(to, amount);
    }

    function burn(uint256 amount) external {
        if (amount == 0) revert InvalidAmount(amount);
        uint256 have = balanceOf(msg.sender);
        if (have < amount) revert InsufficientBalance(msg.sender, have, amount);
        _burn(msg.sender, amount);
    }
}
