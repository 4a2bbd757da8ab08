// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "./ERC20.sol";

/// @title Wrapped representation of a remote chain's token
/// @notice Supply exists only while the matching amount is locked in the bridge of the token's home chain:
///         the bridge mints on an attested MINT message and burns when a holder bridges back.
contract WrappedToken is ERC20 {
    /// @notice The only account allowed to mint and burn.
    address public immutable bridge;

    error NotBridge(address caller);

    constructor(string memory name_, string memory symbol_, address bridge_) ERC20(name_, symbol_) {
        bridge = bridge_;
    }

    modifier onlyBridge() {
        if (msg.sender != bridge) revert NotBridge(msg.sender);
        _;
    }

    /// @notice Creates `amount` for `to`. Bridge only.
    function mint(address to, uint256 amount) external onlyBridge {
        _mint(to, amount);
    }

    /// @notice Destroys `amount` of `from`'s balance. Bridge only; the bridge burns only for `from` itself
    ///         calling `TokenBridge.burn`, so no allowance is involved.
    function burn(address from, uint256 amount) external onlyBridge {
        _burn(from, amount);
    }
}
