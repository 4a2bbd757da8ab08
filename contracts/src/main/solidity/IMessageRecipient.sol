// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Receiver side of a Courier message
/// @notice A contract that accepts messages delivered by a Courier `Gateway` implements this interface.
///         The gateway calls it with a bounded amount of gas; a revert marks the message Failed (it can be
///         retried later through `Gateway.retry`), it never reverts the relayer's transaction.
interface IMessageRecipient {
    /// @notice Handles one message. Implementations must check that `msg.sender` is the gateway they trust
    ///         and that `sender` is the contract they expect on `srcChainId`.
    /// @param srcChainId chain id where the message was sent
    /// @param sender account that called `Gateway.send` on the source chain
    /// @param payload application bytes, opaque to the gateway
    function handle(uint256 srcChainId, address sender, bytes calldata payload) external;
}
