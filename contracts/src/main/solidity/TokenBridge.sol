// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IGateway} from "./IGateway.sol";
import {IMessageRecipient} from "./IMessageRecipient.sol";
import {ERC20} from "./ERC20.sol";
import {WrappedToken} from "./WrappedToken.sol";

/// @title Lock/mint token bridge over Courier messages
/// @notice One bridge per chain. On the token's home chain `lock` escrows the canonical token and sends
///         MINT to the remote bridge, which mints its `WrappedToken`; `burn` there destroys wrapped tokens
///         and sends UNLOCK back, which releases the escrow. Payload: abi.encode(uint8 kind, address to,
///         uint256 amount), 96 bytes.
contract TokenBridge is IMessageRecipient {
    uint8 public constant KIND_MINT = 1;
    uint8 public constant KIND_UNLOCK = 2;

    /// @notice The gateway this bridge sends through and accepts messages from.
    address public immutable gateway;
    /// @notice The token this chain is home to, or address(0) if it only holds wrapped tokens.
    ERC20 public immutable canonicalToken;
    address public owner;

    /// @notice Per remote chain id: its bridge (the only accepted message sender from that chain) and the
    ///         local wrapped token of that chain's canonical token (zero if none).
    struct Remote {
        address bridge;
        WrappedToken wrapped;
    }

    mapping(uint256 => Remote) public remotes;
    /// @notice Canonical tokens escrowed for each remote chain, i.e. the wrapped supply that chain may burn
    ///         back. Bounds what a compromised remote could unlock to what was locked for it.
    mapping(uint256 => uint256) public lockedFor;

    event RemoteRegistered(uint256 indexed chainId, address bridge, address wrapped);
    event Locked(bytes32 indexed id, uint256 indexed dstChainId, address indexed from, address to, uint256 amount);
    event Burned(bytes32 indexed id, uint256 indexed dstChainId, address indexed from, address to, uint256 amount);
    /// @dev The gateway does not pass the message id to `handle`; it is in the same transaction's
    ///      `MessageExecuted` log.
    event Minted(uint256 indexed srcChainId, address indexed to, uint256 amount);
    event Unlocked(uint256 indexed srcChainId, address indexed to, uint256 amount);

    error NotOwner(address caller);
    error NotGateway(address caller);
    error UnknownRemote(uint256 chainId);
    error UnknownSender(uint256 srcChainId, address sender);
    error NoCanonicalToken();
    error NoWrappedToken(uint256 chainId);
    error UnknownKind(uint8 kind);
    error ZeroAmount();
    error ZeroAddress();
    error ExceedsLocked(uint256 chainId, uint256 locked, uint256 amount);
    error TokenTransferFailed(address to, uint256 amount);

    /// @param gateway_ the local Courier gateway
    /// @param canonicalToken_ the token this chain is home to, or address(0)
    constructor(address gateway_, address canonicalToken_) {
        if (gateway_ == address(0)) revert ZeroAddress();
        gateway = gateway_;
        canonicalToken = ERC20(canonicalToken_);
        owner = msg.sender;
    }

    /// @notice Registers (or replaces) the bridge of chain `chainId` and the local wrapped token for
    ///         that chain's canonical token (address(0) if this chain holds none). Owner only.
    function registerRemote(uint256 chainId, address bridge, address wrapped) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (chainId == block.chainid || chainId == 0) revert UnknownRemote(chainId);
        if (bridge == address(0)) revert ZeroAddress();
        remotes[chainId] = Remote(bridge, WrappedToken(wrapped));
        emit RemoteRegistered(chainId, bridge, wrapped);
    }

    /// @notice Escrows `amount` canonical tokens of the caller (needs an allowance) and has `to` receive
    ///         as much wrapped token on `dstChainId`. Native value is passed to the gateway as relayer fee.
    /// @return id the Courier message id
    function lock(uint256 dstChainId, address to, uint256 amount) external payable returns (bytes32 id) {
        if (address(canonicalToken) == address(0)) revert NoCanonicalToken();
        address remoteBridge = _requireRemote(dstChainId).bridge;
        _checkTransfer(to, amount);
        if (!canonicalToken.transferFrom(msg.sender, address(this), amount)) {
            revert TokenTransferFailed(address(this), amount);
        }
        lockedFor[dstChainId] += amount;
        id = IGateway(gateway).send{value: msg.value}(dstChainId, remoteBridge, abi.encode(KIND_MINT, to, amount));
        emit Locked(id, dstChainId, msg.sender, to, amount);
    }

    /// @notice Burns `amount` of the caller's wrapped token of chain `dstChainId` and has `to` receive the
    ///         canonical token there. Native value is passed to the gateway as relayer fee.
    /// @return id the Courier message id
    function burn(uint256 dstChainId, address to, uint256 amount) external payable returns (bytes32 id) {
        Remote memory remote = _requireRemote(dstChainId);
        if (address(remote.wrapped) == address(0)) revert NoWrappedToken(dstChainId);
        _checkTransfer(to, amount);
        remote.wrapped.burn(msg.sender, amount);
        id = IGateway(gateway).send{value: msg.value}(dstChainId, remote.bridge, abi.encode(KIND_UNLOCK, to, amount));
        emit Burned(id, dstChainId, msg.sender, to, amount);
    }

    /// @notice Gateway callback: MINT mints wrapped tokens of `srcChainId`, UNLOCK releases escrowed
    ///         canonical tokens. Only the gateway may call, and only for messages from the registered
    ///         bridge of `srcChainId`.
    function handle(uint256 srcChainId, address sender, bytes calldata payload) external override {
        if (msg.sender != gateway) revert NotGateway(msg.sender);
        Remote memory remote = remotes[srcChainId];
        if (remote.bridge == address(0) || sender != remote.bridge) revert UnknownSender(srcChainId, sender);
        (uint8 kind, address to, uint256 amount) = abi.decode(payload, (uint8, address, uint256));
        if (kind == KIND_MINT) {
            if (address(remote.wrapped) == address(0)) revert NoWrappedToken(srcChainId);
            remote.wrapped.mint(to, amount);
            emit Minted(srcChainId, to, amount);
        } else if (kind == KIND_UNLOCK) {
            uint256 locked = lockedFor[srcChainId];
            if (amount > locked) revert ExceedsLocked(srcChainId, locked, amount);
            lockedFor[srcChainId] = locked - amount;
            if (!canonicalToken.transfer(to, amount)) revert TokenTransferFailed(to, amount);
            emit Unlocked(srcChainId, to, amount);
        } else {
            revert UnknownKind(kind);
        }
    }

    function _requireRemote(uint256 chainId) private view returns (Remote memory remote) {
        remote = remotes[chainId];
        if (remote.bridge == address(0)) revert UnknownRemote(chainId);
    }

    function _checkTransfer(address to, uint256 amount) private pure {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
    }
}
