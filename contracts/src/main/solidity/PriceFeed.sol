// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Minimal AggregatorV3-style price feed
/// @notice The read side of a Chainlink AggregatorV3 (`latestRoundData`, `decimals`, `description`) with an owner
/// who sets the answer: the on-chain price source of Courier's oracle in tests and the demo, where no real feed
/// exists. Each update is a new round. Before the first update `latestRoundData` returns zeros, as an unset
/// Chainlink proxy would: a consumer must check `answer > 0` and `updatedAt` itself.
contract PriceFeed {
    address public immutable owner;
    uint8 public immutable decimals;
    string public description;

    uint80 private roundId;
    int256 private answer;
    uint256 private startedAt;
    uint256 private updatedAt;

    error NotOwner(address caller);

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(uint8 decimals_, string memory description_) {
        owner = msg.sender;
        decimals = decimals_;
        description = description_;
    }

    /// @notice A new round with `answer_`, updated now. Owner only.
    function setAnswer(int256 answer_) external {
        setRoundData(answer_, block.timestamp);
    }

    /// @notice A new round with `answer_` as of `updatedAt_` (a past time lets tests and the demo show a stale feed).
    /// Owner only.
    function setRoundData(int256 answer_, uint256 updatedAt_) public {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        roundId += 1;
        answer = answer_;
        startedAt = updatedAt_;
        updatedAt = updatedAt_;
        emit AnswerUpdated(answer_, roundId, updatedAt_);
    }

    /// @notice The latest round, as AggregatorV3Interface returns it.
    function latestRoundData()
        external
        view
        returns (uint80 roundId_, int256 answer_, uint256 startedAt_, uint256 updatedAt_, uint80 answeredInRound_)
    {
        return (roundId, answer, startedAt, updatedAt, roundId);
    }
}
