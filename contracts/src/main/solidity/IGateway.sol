// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title What an application needs of a Courier gateway to send
interface IGateway {
    /// @notice See `Gateway.send`.
    function send(uint256 dstChainId, address recipient, bytes calldata payload)
        external
        payable
        returns (bytes32 id);
}
