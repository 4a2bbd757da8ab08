// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMessageRecipient} from "./IMessageRecipient.sol";

/// @title Courier Gateway
/// @notice One per chain. `send` records an outbound message as a `MessageSent` log; off-chain validators
///         attest finalized messages with EIP-712 signatures; `execute` on the destination chain checks an
///         m-of-n attestation, protects against replay and calls the recipient with a bounded amount of gas.
/// @dev Message id (identical off-chain in `io.courier.chain.message.CrossChainMessage#id`):
///      keccak256(abi.encode(srcChainId, srcGateway, nonce, dstChainId, sender, recipient, keccak256(payload))).
///      Hashing the payload first keeps the id a fixed 224-byte preimage whatever the payload size.
///
///      A later `executeBatch` reuses the three private steps of `execute` per message: `_requireNew`,
///      `_verifyAttestation` (or one checkpoint check for the whole batch) and `_deliver`. `_deliver` never
///      reverts because of a recipient, so one failing message cannot sink a batch; it only reverts when the
///      relayer attached too little gas (`InsufficientGas`), which is the relayer's own fault.
contract Gateway {
    /// @notice Delivery state of a message id. Stored values: append only, never renumber.
    enum Status {
        None, // never executed here
        Delivered, // the recipient handled it (or has no code)
        Failed // attested but the recipient reverted; `retry` may deliver it later
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Courier Gateway");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant ATTESTATION_TYPEHASH = keccak256("Attestation(bytes32 messageId)");

    /// @dev secp256k1 group order / 2. A signature with a larger s is the malleable twin of a low-s one
    ///      (same signer, different bytes); accepting only low s gives every attestation one encoding.
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice Revert data of a failed recipient is cut to this many bytes in `MessageExecuted`, so a
    ///         recipient cannot make the relayer pay for a huge log or memory copy.
    uint256 public constant MAX_REVERT_DATA = 256;

    /// @notice Largest payload `send` accepts, in bytes. Chosen from the destination's gas: `execute` pays 16 gas
    ///         per calldata byte, so 16 KiB of non-zero payload costs ~262k gas of calldata; with the intrinsic
    ///         21k, ~60k of bookkeeping, 8k per signature and a 200k handler (with its 63/64 reserve) one
    ///         execute needs ~570k gas, well under the relayer's default `max-gas-limit` (1.5M) and any block
    ///         gas limit (30M on mainnet), and far below geth's 128 KiB transaction size limit. A larger
    ///         payload could be sent but never executed (issue 9: a 100 KB payload stalled a route).
    ///         The relayer's watcher holds the same number (`MessageSentDecoder.MAX_PAYLOAD_BYTES`).
    uint256 public constant MAX_PAYLOAD_BYTES = 16_384;

    /// @notice Upper bound of the validator set; signature checks loop over at most this many signers.
    uint256 public constant MAX_VALIDATORS = 32;

    /// @dev Gas spent between the `gasleft()` check and the CALL opcode (warm account, stack juggling),
    ///      with a wide margin. See `_deliver`.
    uint256 private constant CALL_OVERHEAD = 1_000;

    // Slot 0 packs the owner, the threshold and the outbound nonce: `send` touches one slot, `execute`
    // reads the threshold from it.
    /// @notice Account allowed to change the validator set and withdraw fees.
    address public owner;
    /// @notice Number of distinct validator signatures `execute` requires.
    uint8 public threshold;
    /// @notice Nonce the next `send` will use. The first message of a gateway has nonce 0, so this is
    ///         also the number of messages sent so far.
    uint64 public outboundNonce;

    address[] private _validators;
    mapping(address => bool) private _isValidator;
    mapping(bytes32 => Status) private _status;

    /// @notice Gas given to `IMessageRecipient.handle` by `execute`.
    uint256 public immutable handlerGasLimit;

    // EIP-712 domain separator, cached for the chain id at deployment (recomputed if the chain forks).
    bytes32 private immutable _cachedDomainSeparator;
    uint256 private immutable _cachedChainId;

    /// @notice A message left this chain. `id` is what validators attest.
    event MessageSent(
        bytes32 indexed id,
        uint256 indexed dstChainId,
        address indexed recipient,
        uint64 nonce,
        address sender,
        bytes payload
    );
    /// @notice `send` carried native value for the relayer's destination gas (kept apart from
    ///         `MessageSent` so later top-ups of the same id can use the same event).
    event GasPaid(bytes32 indexed id, uint256 amount);
    /// @notice An attested message was executed (or retried). `revertData` is empty on success and the
    ///         recipient's revert data, cut to `MAX_REVERT_DATA` bytes, on failure.
    event MessageExecuted(
        bytes32 indexed id,
        uint256 indexed srcChainId,
        uint64 nonce,
        bool success,
        bytes revertData
    );
    event ValidatorsChanged(address[] validators, uint8 threshold);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event FeesWithdrawn(address indexed to, uint256 amount);

    /// @notice Signature `index` is not 65 bytes (r, s, v).
    error SignatureLength(uint256 index);
    /// @notice Signature `index` has s in the upper half of the curve order (malleable encoding).
    error HighS(uint256 index);
    /// @notice Signature `index` does not recover to any address (bad v, r or s).
    error InvalidSignature(uint256 index);
    /// @notice Signature `index` recovers to `signer`, who is not a validator (also: signed another message,
    ///         another gateway or another chain, which recovers to an unrelated address).
    error NotValidator(uint256 index, address signer);
    /// @notice `signer` of signature `index` also signed the signature before it.
    error DuplicateSigner(uint256 index, address signer);
    /// @notice `signer` of signature `index` sorts below the previous signer; signers must be ascending.
    error SignersNotAscending(uint256 index, address signer);
    /// @notice Fewer signatures than the threshold.
    error BelowThreshold(uint256 count, uint256 threshold);
    /// @notice Message `id` was already delivered here (replay).
    error AlreadyExecuted(bytes32 id);
    /// @notice Message `id` was executed and its recipient reverted; use `retry`, not `execute`.
    error AlreadyFailed(bytes32 id);
    /// @notice `retry` of message `id` whose status is not Failed.
    error NotFailed(bytes32 id, uint8 status);
    /// @notice `retry` of message `id`: the recipient reverted again; nothing changed.
    error RetryFailed(bytes32 id, bytes revertData);
    /// @notice `send` to this chain itself or to chain id 0.
    error WrongDestination(uint256 dstChainId);
    /// @notice `send` was given a payload of `length` bytes, above `MAX_PAYLOAD_BYTES` (`max`).
    error PayloadTooLarge(uint256 length, uint256 max);
    /// @notice Too little gas left to give the recipient `handlerGasLimit`; attach more gas.
    error InsufficientGas(bytes32 id, uint256 gasLeft, uint256 gasRequired);
    error NotOwner(address caller);
    /// @notice Validator `index` of a new set is zero, a duplicate, or beyond `MAX_VALIDATORS`.
    error InvalidValidator(uint256 index, address validator);
    error InvalidThreshold(uint256 threshold, uint256 validatorCount);
    error InvalidHandlerGasLimit(uint256 handlerGasLimit);
    error ZeroAddress();
    error TransferFailed(address to, uint256 amount);

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @param validators_ distinct, nonzero validator addresses (any order), at most `MAX_VALIDATORS`
    /// @param threshold_ signatures required, 1 ≤ threshold ≤ number of validators
    /// @param handlerGasLimit_ gas given to each recipient call by `execute` (21,000 .. 10,000,000)
    constructor(address[] memory validators_, uint8 threshold_, uint256 handlerGasLimit_) {
        if (handlerGasLimit_ < 21_000 || handlerGasLimit_ > 10_000_000) {
            revert InvalidHandlerGasLimit(handlerGasLimit_);
        }
        handlerGasLimit = handlerGasLimit_;
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        _setValidators(validators_, threshold_);
        _cachedChainId = block.chainid;
        _cachedDomainSeparator = _buildDomainSeparator();
    }

    // ─────────────────────────────────────────── outbound ───────────────────────────────────────────

    /// @notice Sends `payload` to `recipient` on chain `dstChainId`.
    /// @dev Native value sent along pays the relayer (see `GasPaid`); it stays in the gateway until
    ///      the owner withdraws it.
    /// @return id the message id validators will attest
    function send(uint256 dstChainId, address recipient, bytes calldata payload)
        external
        payable
        returns (bytes32 id)
    {
        if (dstChainId == block.chainid || dstChainId == 0) revert WrongDestination(dstChainId);
        if (payload.length > MAX_PAYLOAD_BYTES) revert PayloadTooLarge(payload.length, MAX_PAYLOAD_BYTES);
        uint64 nonce = outboundNonce;
        outboundNonce = nonce + 1;
        id = _messageId(block.chainid, address(this), nonce, dstChainId, msg.sender, recipient, keccak256(payload));
        emit MessageSent(id, dstChainId, recipient, nonce, msg.sender, payload);
        if (msg.value != 0) emit GasPaid(id, msg.value);
    }

    // ─────────────────────────────────────────── inbound ────────────────────────────────────────────

    /// @notice Executes a message sent to this chain, attested by at least `threshold` validators.
    /// @dev Checks, in order: replay (`AlreadyExecuted`, `AlreadyFailed`), signature count and every
    ///      signature (65 bytes, low s, recovers to a validator, signers strictly ascending). Then calls
    ///      the recipient with `handlerGasLimit` gas. A reverting recipient does not revert this call: the
    ///      id is marked Failed and `MessageExecuted(success = false)` is emitted.
    /// @param signatures EIP-712 signatures over `Attestation(messageId)` for this gateway and chain,
    ///        each r ‖ s ‖ v (v = 27 or 28), ordered by signer address ascending
    /// @return success whether the recipient handled the message
    function execute(
        uint256 srcChainId,
        address srcGateway,
        uint64 nonce,
        address sender,
        address recipient,
        bytes calldata payload,
        bytes[] calldata signatures
    ) external returns (bool success) {
        bytes32 id =
            _messageId(srcChainId, srcGateway, nonce, block.chainid, sender, recipient, keccak256(payload));
        _requireNew(id);
        _verifyAttestation(_hashTypedData(id), signatures);
        return _deliver(id, srcChainId, nonce, sender, recipient, payload);
    }

    /// @notice Delivers again a message whose recipient reverted in `execute`. Anyone may call it: the id
    ///         commits to every field and the attestation was checked by `execute`.
    /// @dev The recipient gets all the gas the caller attached (less the 1/64 EIP-150 keeps), not just
    ///      `handlerGasLimit`, so a message that needs more gas can be delivered. A failing retry reverts
    ///      with `RetryFailed` and leaves the message Failed.
    /// @return id the message id, now Delivered
    function retry(
        uint256 srcChainId,
        address srcGateway,
        uint64 nonce,
        address sender,
        address recipient,
        bytes calldata payload
    ) external returns (bytes32 id) {
        id = _messageId(srcChainId, srcGateway, nonce, block.chainid, sender, recipient, keccak256(payload));
        Status status = _status[id];
        if (status != Status.Failed) revert NotFailed(id, uint8(status));
        // Delivered before the call: a recipient calling back into the gateway sees the id as done.
        _status[id] = Status.Delivered;
        if (recipient.code.length != 0) {
            (bool ok, bytes memory revertData) =
                _callHandler(recipient, gasleft(), abi.encodeCall(IMessageRecipient.handle, (srcChainId, sender, payload)));
            if (!ok) revert RetryFailed(id, revertData);
        }
        emit MessageExecuted(id, srcChainId, nonce, true, "");
    }

    // ───────────────────────────────────────────── views ─────────────────────────────────────────────

    /// @notice Delivery status of a message id: 0 None, 1 Delivered, 2 Failed.
    function messageStatus(bytes32 id) external view returns (uint8) {
        return uint8(_status[id]);
    }

    /// @notice The EIP-712 digest validators sign for message `id` on this gateway.
    function attestationDigest(bytes32 id) external view returns (bytes32) {
        return _hashTypedData(id);
    }

    /// @notice The EIP-712 domain separator (name "Courier Gateway", version "1", this chain, this gateway).
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @notice The message id of arbitrary fields, as `send` and `execute` compute it.
    function computeMessageId(
        uint256 srcChainId,
        address srcGateway,
        uint64 nonce,
        uint256 dstChainId,
        address sender,
        address recipient,
        bytes calldata payload
    ) external pure returns (bytes32) {
        return _messageId(srcChainId, srcGateway, nonce, dstChainId, sender, recipient, keccak256(payload));
    }

    /// @notice The current validator set, in the order it was configured.
    function validators() external view returns (address[] memory) {
        return _validators;
    }

    function isValidator(address account) external view returns (bool) {
        return _isValidator[account];
    }

    // ───────────────────────────────────────────── admin ─────────────────────────────────────────────

    /// @notice Replaces the validator set and threshold. Messages attested by the old set and not yet
    ///         executed need new signatures afterwards.
    function setValidators(address[] calldata validators_, uint8 threshold_) external onlyOwner {
        _setValidators(validators_, threshold_);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Sends `amount` of the collected relayer fees to `to`.
    function withdrawFees(address payable to, uint256 amount) external onlyOwner {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed(to, amount);
        emit FeesWithdrawn(to, amount);
    }

    // ─────────────────────────────────────────── internals ───────────────────────────────────────────

    function _messageId(
        uint256 srcChainId,
        address srcGateway,
        uint64 nonce,
        uint256 dstChainId,
        address sender,
        address recipient,
        bytes32 payloadHash
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(srcChainId, srcGateway, nonce, dstChainId, sender, recipient, payloadHash));
    }

    function _requireNew(bytes32 id) private view {
        Status status = _status[id];
        if (status == Status.Delivered) revert AlreadyExecuted(id);
        if (status == Status.Failed) revert AlreadyFailed(id);
    }

    /// @dev Every signature given must be valid, not just the first `threshold`: a submission carries no
    ///      junk. Ascending signers make duplicates detectable with one comparison per signature.
    function _verifyAttestation(bytes32 digest, bytes[] calldata signatures) private view {
        uint256 count = signatures.length;
        uint256 required = threshold;
        if (count < required) revert BelowThreshold(count, required);
        address previous = address(0);
        for (uint256 i = 0; i < count; ++i) {
            bytes calldata signature = signatures[i];
            if (signature.length != 65) revert SignatureLength(i);
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly ("memory-safe") {
                r := calldataload(signature.offset)
                s := calldataload(add(signature.offset, 32))
                v := byte(0, calldataload(add(signature.offset, 64)))
            }
            if (uint256(s) > HALF_ORDER) revert HighS(i);
            if (v != 27 && v != 28) revert InvalidSignature(i);
            address signer = ecrecover(digest, v, r, s);
            if (signer == address(0)) revert InvalidSignature(i);
            // Membership first: a signature for another domain recovers to a random address, and
            // "not a validator" is the useful diagnosis for it, not its position.
            if (!_isValidator[signer]) revert NotValidator(i, signer);
            if (signer == previous) revert DuplicateSigner(i, signer);
            if (signer < previous) revert SignersNotAscending(i, signer);
            previous = signer;
        }
    }

    /// @dev Marks the id Delivered before calling out (re-entrancy sees it as done), downgrades it to
    ///      Failed if the recipient reverts. Only reverts for `InsufficientGas`.
    function _deliver(
        bytes32 id,
        uint256 srcChainId,
        uint64 nonce,
        address sender,
        address recipient,
        bytes calldata payload
    ) private returns (bool success) {
        _status[id] = Status.Delivered;
        bytes memory revertData;
        if (recipient.code.length == 0) {
            // Nothing to call: a message to an account without code is delivered by being recorded.
            success = true;
        } else {
            bytes memory data = abi.encodeCall(IMessageRecipient.handle, (srcChainId, sender, payload));
            uint256 gasLimit = handlerGasLimit;
            // EIP-150: a CALL passes on at most 63/64 of the gas left. Without this check a relayer could
            // attach just enough gas for the handler to run out and the message to be marked Failed,
            // although it would succeed with its full limit. Here the recipient surely gets `gasLimit`.
            uint256 required = (gasLimit + CALL_OVERHEAD) * 64 / 63 + 1;
            uint256 left = gasleft();
            if (left < required) revert InsufficientGas(id, left, required);
            (success, revertData) = _callHandler(recipient, gasLimit, data);
            if (!success) _status[id] = Status.Failed;
        }
        emit MessageExecuted(id, srcChainId, nonce, success, revertData);
    }

    /// @dev Calls without copying return data into memory (a recipient could return megabytes to burn the
    ///      relayer's gas); on failure copies at most `MAX_REVERT_DATA` bytes of it.
    function _callHandler(address recipient, uint256 gasLimit, bytes memory data)
        private
        returns (bool success, bytes memory revertData)
    {
        assembly ("memory-safe") {
            success := call(gasLimit, recipient, 0, add(data, 0x20), mload(data), 0, 0)
        }
        if (!success) {
            uint256 size;
            assembly ("memory-safe") {
                size := returndatasize()
            }
            if (size > MAX_REVERT_DATA) size = MAX_REVERT_DATA;
            revertData = new bytes(size);
            assembly ("memory-safe") {
                returndatacopy(add(revertData, 0x20), 0, size)
            }
        }
    }

    function _setValidators(address[] memory validators_, uint8 threshold_) private {
        uint256 count = validators_.length;
        address[] storage current = _validators;
        for (uint256 i = 0; i < current.length; ++i) {
            _isValidator[current[i]] = false;
        }
        for (uint256 i = 0; i < count; ++i) {
            address validator = validators_[i];
            if (validator == address(0) || _isValidator[validator] || i >= MAX_VALIDATORS) {
                revert InvalidValidator(i, validator);
            }
            _isValidator[validator] = true;
        }
        if (threshold_ == 0 || threshold_ > count) revert InvalidThreshold(threshold_, count);
        _validators = validators_;
        threshold = threshold_;
        emit ValidatorsChanged(validators_, threshold_);
    }

    function _domainSeparator() private view returns (bytes32) {
        return block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _hashTypedData(bytes32 id) private view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(ATTESTATION_TYPEHASH, id));
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }
}
