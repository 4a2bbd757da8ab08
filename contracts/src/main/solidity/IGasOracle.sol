// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title What a gateway needs of a `GasOracle` to quote
interface IGasOracle {
    /// @notice See `GasOracle.quoteFee`.
    function quoteFee(uint256 dstChainId, uint256 gasLimit) external view returns (uint256);
}
