// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "./ERC20.sol";

/// @title Canonical test token
/// @notice A plain ERC-20 whose deployer may mint: the "real" asset on its home chain in tests and demos.
contract TestToken is ERC20 {
    address public immutable owner;

    error NotOwner(address caller);

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {
        owner = msg.sender;
    }

    /// @notice Creates `amount` new tokens for `to`. Owner only.
    function mint(address to, uint256 amount) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _mint(to, amount);
    }
}
