// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMessageRecipient} from "./IMessageRecipient.sol";

/// @title A recipient whose `handle` does nothing
/// @notice The reference recipient of `./courier bench gas`: what a delivery costs the gateway, with the smallest
///         real handler (selector dispatch and ABI decoding of the arguments, no state). Not for production use.
contract NoopRecipient is IMessageRecipient {
    function handle(uint256, address, bytes calldata) external override {}
}
