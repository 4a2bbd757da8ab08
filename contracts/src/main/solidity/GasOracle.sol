// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Courier gas oracle
/// @notice One per source chain. Per destination chain it holds what pricing a message there takes: the destination
///         gas price, the destination/source native-token price ratio, the destination gateway's overhead gas and the
///         margin. `quoteFee` prices a message with exactly the off-chain formula (`io.courier.oracle.FeeMath`):
///
///             fee = ceil(gasPrice × (overheadGas + gasLimit) × tokenRatio × (1e18 + margin) / 1e36)
///
///         in wei of this chain's native token. `tokenRatio` and `margin` are fixed point with 18 decimals (WAD):
///         tokenRatio = destination token price / source token price × 1e18, margin 0.1 = 1e17.
/// @dev Only `updater` (a key of the relayer's updater role, set by the owner) writes. A stolen updater key is bounded:
///      each update may move gas price, ratio and overhead by at most `maxFactorBps` / 10,000 (×2 at 20,000) in either
///      direction, never to zero, and the margin never above `MAX_MARGIN`. The first value of a destination is free
///      (there is nothing to be near yet). The bound is per update, not per time: it slows a thief down and makes the
///      attack visible (`GasDataUpdated` per step), it does not stop one who sends many updates.
contract GasOracle {
    /// @notice The values an update moves, as `UpdateOutOfBounds` and `ZeroValue` name them. Append only.
    enum Field {
        GasPrice,
        TokenRatio,
        OverheadGas
    }

    /// @notice One destination's pricing inputs, as `update` takes them.
    struct Update {
        uint256 dstChainId;
        uint96 gasPrice; // wei per gas on the destination
        uint128 tokenRatio; // destination/source native-token price × 1e18
        uint32 overheadGas; // destination execute's gas besides the handler's
        uint64 margin; // × 1e18 (1e17 = 10 %)
    }

    /// @dev Two slots: everything `quoteFee` reads in two cold loads.
    struct GasData {
        uint96 gasPrice;
        uint32 overheadGas;
        uint64 margin;
        uint40 updatedAt;
        uint128 tokenRatio;
    }

    uint256 private constant WAD = 1e18;
    uint256 private constant BPS = 10_000;
    /// @notice Largest margin (100 %): config, not a market value, so no factor bound applies, but a cap does.
    uint64 public constant MAX_MARGIN = 1e18;

    address public owner;
    address public updater;
    /// @notice How far one update may move a value: new ≤ old × maxFactorBps / 10,000 and new ≥ old × 10,000 / maxFactorBps.
    uint32 public maxFactorBps;

    mapping(uint256 => GasData) private _data;

    event GasDataUpdated(
        uint256 indexed dstChainId, uint96 gasPrice, uint128 tokenRatio, uint32 overheadGas, uint64 margin
    );
    event UpdaterChanged(address indexed previousUpdater, address indexed newUpdater);
    event MaxFactorChanged(uint32 maxFactorBps);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner(address caller);
    error NotUpdater(address caller);
    /// @notice The bound must allow some move: more than 10,000 (×1), and at most ×100.
    error InvalidMaxFactor(uint32 maxFactorBps);
    /// @notice `field` of destination `dstChainId` would move from `current` to `proposed`, further than `maxFactorBps` allows.
    error UpdateOutOfBounds(uint256 dstChainId, Field field, uint256 current, uint256 proposed, uint32 maxFactorBps);
    /// @notice `field` of destination `dstChainId` must not be zero (a zero price would make delivery free).
    error ZeroValue(uint256 dstChainId, Field field);
    /// @notice Margin `margin` of destination `dstChainId` is above `MAX_MARGIN`.
    error MarginTooHigh(uint256 dstChainId, uint64 margin);
    /// @notice Destination `dstChainId` was never priced here: nothing to quote with.
    error NoGasData(uint256 dstChainId);
    error ZeroAddress();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @param updater_ the only account allowed to `update`
    /// @param maxFactorBps_ the per-update bound (20,000 = ×2)
    constructor(address updater_, uint32 maxFactorBps_) {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        _setUpdater(updater_);
        _setMaxFactor(maxFactorBps_);
    }

    /// @notice Writes the pricing inputs of each destination in `updates`; all or nothing.
    function update(Update[] calldata updates) external {
        if (msg.sender != updater) revert NotUpdater(msg.sender);
        uint32 factor = maxFactorBps;
        for (uint256 i = 0; i < updates.length; ++i) {
            Update calldata u = updates[i];
            GasData storage d = _data[u.dstChainId];
            _checkMove(u.dstChainId, Field.GasPrice, d.gasPrice, u.gasPrice, factor);
            _checkMove(u.dstChainId, Field.TokenRatio, d.tokenRatio, u.tokenRatio, factor);
            _checkMove(u.dstChainId, Field.OverheadGas, d.overheadGas, u.overheadGas, factor);
            if (u.margin > MAX_MARGIN) revert MarginTooHigh(u.dstChainId, u.margin);
            _data[u.dstChainId] = GasData({
                gasPrice: u.gasPrice,
                overheadGas: u.overheadGas,
                margin: u.margin,
                updatedAt: uint40(block.timestamp),
                tokenRatio: u.tokenRatio
            });
            emit GasDataUpdated(u.dstChainId, u.gasPrice, u.tokenRatio, u.overheadGas, u.margin);
        }
    }

    /// @notice The fee, in wei of this chain's native token, for a message to `dstChainId` whose handler gets `gasLimit` gas.
    function quoteFee(uint256 dstChainId, uint256 gasLimit) external view returns (uint256) {
        GasData memory d = _data[dstChainId];
        if (d.updatedAt == 0) revert NoGasData(dstChainId);
        // every factor is below 2^128 and gasLimit is what a caller asks: checked arithmetic reverts rather than wraps
        uint256 numerator = uint256(d.gasPrice) * (uint256(d.overheadGas) + gasLimit) * d.tokenRatio * (WAD + d.margin);
        return (numerator + WAD * WAD - 1) / (WAD * WAD); // rounded up, as FeeMath: never undercharges
    }

    /// @notice Destination `dstChainId`'s inputs and when they were last written (all zero: never).
    function gasData(uint256 dstChainId)
        external
        view
        returns (uint96 gasPrice, uint128 tokenRatio, uint32 overheadGas, uint64 margin, uint40 updatedAt)
    {
        GasData memory d = _data[dstChainId];
        return (d.gasPrice, d.tokenRatio, d.overheadGas, d.margin, d.updatedAt);
    }

    function setUpdater(address updater_) external onlyOwner {
        _setUpdater(updater_);
    }

    function setMaxFactor(uint32 maxFactorBps_) external onlyOwner {
        _setMaxFactor(maxFactorBps_);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function _checkMove(uint256 dstChainId, Field field, uint256 current, uint256 proposed, uint32 factor) private pure {
        if (proposed == 0) revert ZeroValue(dstChainId, field);
        if (current == 0) return; // the first value: nothing to be near yet
        if (proposed * BPS > current * factor || proposed * factor < current * BPS) {
            revert UpdateOutOfBounds(dstChainId, field, current, proposed, factor);
        }
    }

    function _setUpdater(address updater_) private {
        if (updater_ == address(0)) revert ZeroAddress();
        emit UpdaterChanged(updater, updater_);
        updater = updater_;
    }

    function _setMaxFactor(uint32 maxFactorBps_) private {
        if (maxFactorBps_ <= BPS || maxFactorBps_ > 100 * BPS) revert InvalidMaxFactor(maxFactorBps_);
        maxFactorBps = maxFactorBps_;
        emit MaxFactorChanged(maxFactorBps_);
    }
}
