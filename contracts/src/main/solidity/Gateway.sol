// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IMessageRecipient} from "./IMessageRecipient.sol";
import {IGasOracle} from "./IGasOracle.sol";

/// @title Courier Gateway
/// @notice One per chain. `send` records an outbound message as a `MessageSent` log; off-chain validators
///         attest finalized messages with EIP-712 signatures; `execute` on the destination chain checks an
///         m-of-n attestation, protects against replay and calls the recipient with a bounded amount of gas.
/// @dev Message id (identical off-chain in `io.courier.chain.message.CrossChainMessage#id`):
///      keccak256(abi.encode(srcChainId, srcGateway, nonce, dstChainId, sender, recipient, keccak256(payload))).
///      Hashing the payload first keeps the id a fixed 224-byte preimage whatever the payload size.
///
///      Three inbound paths (ADR 008): `execute` (one message, its own signatures), `executeBatch` (many
///      messages, each with its own signatures) and `executeCheckpoint` (a contiguous nonce range of one source
///      route whose Merkle root validators signed once). Replay has one truth for all of them: a bitmap per
///      source route (source chain, source gateway), one bit per nonce, 256 nonces per storage slot. Outbound
///      nonces count per destination chain, so a route's messages form a contiguous range. A recipient revert
///      never reverts a batch: that message alone is marked Failed (kept apart for `retry`). The whole call reverts
///      only for what the relayer can check first: a replay, a bad attestation, malformed messages, or too little
///      gas for a handler's full limit (`InsufficientGas`).
contract Gateway {
    /// @notice Delivery state of a message, as `messageStatus` reports it. Values: append only, never renumber.
    enum Status {
        None, // never executed here
        Delivered, // the recipient handled it (or has no code and the message carries no payload)
        Failed // attested but the recipient reverted; `retry` may deliver it later
    }

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Courier Gateway");
    bytes32 private constant VERSION_HASH = keccak256("1");
    bytes32 private constant ATTESTATION_TYPEHASH = keccak256("Attestation(bytes32 messageId)");
    bytes32 private constant CHECKPOINT_TYPEHASH = keccak256(
        "Checkpoint(uint256 srcChainId,address srcGateway,uint64 firstNonce,uint64 lastNonce,bytes32 root)"
    );

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

    // Slot 0 packs the owner and the threshold: every inbound path reads the threshold from it.
    /// @notice Account allowed to change the validator set and withdraw fees.
    address public owner;
    /// @notice Number of distinct validator signatures every inbound path requires.
    uint8 public threshold;

    address[] private _validators;
    mapping(address => bool) private _isValidator;
    /// @dev Next outbound nonce per destination chain: a route's messages are numbered 0, 1, 2, … without gaps,
    ///      which is what lets one checkpoint cover a contiguous range.
    mapping(uint256 => uint64) private _outboundNonce;
    /// @dev Replay truth of every inbound path: bit (nonce & 255) of word keccak(srcChainId, srcGateway, nonce >> 8)
    ///      is set once a message of that route and nonce was executed (delivered or failed). One fresh slot per
    ///      256 messages instead of one per message.
    mapping(bytes32 => uint256) private _executedWords;
    /// @dev Ids whose recipient reverted, the only ones `retry` accepts; cleared by a successful retry.
    mapping(bytes32 => bool) private _failed;
    /// @dev keccak256(threshold (1 byte) ‖ validators (20 bytes each, configured order)). The batched paths take the
    ///      set in calldata and check it against this one slot: one cold read instead of one per signer and one for
    ///      the threshold (2,100 gas each), which is most of what a lone message can still save.
    bytes32 private _validatorSetHash;

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
    ///         recipient's revert data, cut to `MAX_REVERT_DATA` bytes, on failure; a failure with empty
    ///         `revertData` may also be a payload for an account without code (see `_deliver`).
    event MessageExecuted(
        bytes32 indexed id,
        uint256 indexed srcChainId,
        uint64 nonce,
        bool success,
        bytes revertData
    );
    /// @notice `executeCheckpoint` executed the nonces `firstNonce..lastNonce` of a route under `root`. Messages
    ///         of the range without their own `MessageExecuted(success = false)` in the same transaction were
    ///         delivered (a per-message success event would cost ~2,000 gas each, a third of the target).
    event CheckpointExecuted(
        uint256 indexed srcChainId,
        address indexed srcGateway,
        uint64 firstNonce,
        uint64 lastNonce,
        bytes32 root,
        uint256 failed
    );
    /// @notice `executeBatch` delivered message `id` (a failure is a `MessageExecuted(success = false)` instead).
    ///         Leaner than `MessageExecuted` by its data: the nonce and an empty revert data cost ~1,000 gas a message.
    event MessageDelivered(bytes32 indexed id, uint256 indexed srcChainId);
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
    /// @notice The root recomputed from a checkpoint's messages is not the root given (a message forged,
    ///         left out, added or reordered).
    error RootMismatch(bytes32 given, bytes32 computed);
    /// @notice The validator set passed to a batched path is not the current one (`validatorSet()`).
    error ValidatorSetMismatch(bytes32 given, bytes32 current);
    /// @notice Packed messages of `executeBatch`/`executeCheckpoint` end inside message `index` (at `offset`), or
    ///         a checkpoint holds none or runs past the largest nonce.
    error MalformedMessages(uint256 index, uint256 offset);
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
    /// @notice `payForGas` of message `id` without value.
    error ZeroPayment(bytes32 id);

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
        uint64 nonce = _outboundNonce[dstChainId];
        _outboundNonce[dstChainId] = nonce + 1;
        id = _messageId(block.chainid, address(this), nonce, dstChainId, msg.sender, recipient, keccak256(payload));
        emit MessageSent(id, dstChainId, recipient, nonce, msg.sender, payload);
        if (msg.value != 0) emit GasPaid(id, msg.value);
    }

    /// @notice Pays (more) for the destination gas of message `id`: a top-up for a message sent with too little
    ///         value (the relayer holds it as UNDERPAID until its payments reach the quote). Anyone may pay for any
    ///         id, like `execute` and `retry`; the gateway does not check that `id` was sent here (an unknown id's
    ///         payment is simply never used), which keeps the call one event and no storage.
    /// @dev Zero value is refused (`ZeroPayment`): a `GasPaid` of 0 would cost the relayer a log to read for nothing.
    function payForGas(bytes32 id) external payable {
        if (msg.value == 0) revert ZeroPayment(id);
        emit GasPaid(id, msg.value);
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
        _markExecuted(srcChainId, srcGateway, nonce, id);
        _verifyAttestation(_attestationDigest(id), signatures);
        return _deliver(id, srcChainId, nonce, sender, recipient, payload, false);
    }

    /// @notice Executes several messages of one source route in one transaction, each with its own attestation
    ///         (what `execute` checks, per message). Each outcome is isolated: a reverting recipient marks its
    ///         message Failed and the batch goes on. A replayed or badly signed message reverts the whole call.
    ///         A delivered message emits `MessageDelivered`, a failed one `MessageExecuted(success = false)`.
    /// @param set the current `validatorSet()`: threshold (1 byte) ‖ validators (20 bytes each)
    /// @param messages packed, per message: nonce (8 bytes) ‖ sender (20) ‖ recipient (20) ‖ payload length
    ///        (2, big-endian) ‖ payload ‖ signature count (1) ‖ count × 65-byte signatures (r ‖ s ‖ v, signers
    ///        ascending). `io.courier.chain.GatewayCalldata` writes it.
    /// @return failed how many recipients reverted
    function executeBatch(uint256 srcChainId, address srcGateway, bytes calldata set, bytes calldata messages)
        external
        returns (uint256 failed)
    {
        _requireValidatorSet(set);
        uint256 end = messages.length;
        if (end == 0) revert MalformedMessages(0, 0);
        uint256 offset;
        uint256 index;
        while (offset < end) {
            uint256 next = _batchMessageEnd(messages, offset, index);
            if (!_executeOne(srcChainId, srcGateway, set, messages[offset:next])) ++failed;
            offset = next;
            ++index;
        }
    }

    /// @notice Executes the contiguous range `firstNonce ..` of the route (srcChainId, srcGateway) → this gateway,
    ///         under one checkpoint signed by at least `threshold` validators: the root is recomputed here from the
    ///         messages given, so no proofs travel. Every nonce of the range must be new (else `AlreadyExecuted`
    ///         or `AlreadyFailed` of the first clash); each recipient's outcome is isolated as in `executeBatch`.
    /// @param root the checkpoint's Merkle root over the range's message ids (`checkpointRoot`)
    /// @param set the current `validatorSet()`: threshold (1 byte) ‖ validators (20 bytes each)
    /// @param signatures packed 65-byte signatures (r ‖ s ‖ v, signers ascending) over `checkpointDigest`
    /// @param messages packed, per message in nonce order: sender (20) ‖ recipient (20) ‖ payload length (2,
    ///        big-endian) ‖ payload; the nonce is implied by the position
    /// @return failed how many recipients reverted
    function executeCheckpoint(
        uint256 srcChainId,
        address srcGateway,
        uint64 firstNonce,
        bytes32 root,
        bytes calldata set,
        bytes calldata signatures,
        bytes calldata messages
    ) external returns (uint256 failed) {
        bytes32[] memory ids = _checkpointIds(srcChainId, srcGateway, firstNonce, messages);
        uint256 lastNonce = firstNonce + ids.length - 1;
        if (lastNonce > type(uint64).max) revert MalformedMessages(ids.length - 1, messages.length);
        {
            bytes32 computed = _merkleRoot(ids);
            if (computed != root) revert RootMismatch(root, computed);
        }
        _requireValidatorSet(set);
        _verifyPacked(_checkpointDigest(srcChainId, srcGateway, firstNonce, uint64(lastNonce), root), signatures, set);
        _markRange(srcChainId, srcGateway, firstNonce, lastNonce, ids);
        failed = _deliverRange(srcChainId, firstNonce, ids, messages);
        emit CheckpointExecuted(srcChainId, srcGateway, firstNonce, uint64(lastNonce), root, failed);
    }

    /// @notice Delivers again a message whose recipient reverted. Anyone may call it: the id commits to every
    ///         field and the attestation (or checkpoint) was checked when it was executed.
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
        if (!_failed[id]) revert NotFailed(id, _status(srcChainId, srcGateway, nonce, id));
        // Delivered before the call: a recipient calling back into the gateway sees the id as done.
        delete _failed[id];
        if (recipient.code.length != 0) {
            (bool ok, bytes memory revertData) =
                _callHandler(recipient, gasleft(), abi.encodeCall(IMessageRecipient.handle, (srcChainId, sender, payload)));
            if (!ok) revert RetryFailed(id, revertData);
        } else if (payload.length != 0) {
            revert RetryFailed(id, ""); // still no code to hand the payload to
        }
        emit MessageExecuted(id, srcChainId, nonce, true, "");
    }

    // ───────────────────────────────────────────── views ─────────────────────────────────────────────

    /// @notice Delivery status of the message `id` with nonce `nonce` of the route (srcChainId, srcGateway):
    ///         0 None, 1 Delivered, 2 Failed. The route and nonce find its replay bit; `id` tells Failed apart.
    ///         Delivered means a message of this route and nonce was executed: validators sign one message per
    ///         nonce, so it is this one unless the source chain reorganised (ADR 008).
    function messageStatus(uint256 srcChainId, address srcGateway, uint64 nonce, bytes32 id)
        external
        view
        returns (uint8)
    {
        return _status(srcChainId, srcGateway, nonce, id);
    }

    /// @notice Replay bits of nonces `wordIndex * 256 .. wordIndex * 256 + 255` of a route (bit i = nonce
    ///         wordIndex * 256 + i executed): 256 statuses in one call.
    function executedWord(uint256 srcChainId, address srcGateway, uint64 wordIndex) external view returns (uint256) {
        return _executedWords[keccak256(abi.encode(srcChainId, srcGateway, wordIndex))];
    }

    /// @notice Nonce the next `send` to `dstChainId` will use. A route's first message has nonce 0, so this is
    ///         also the number of messages sent to that chain so far.
    function outboundNonce(uint256 dstChainId) external view returns (uint64) {
        return _outboundNonce[dstChainId];
    }

    /// @notice The EIP-712 digest validators sign for message `id` on this gateway.
    function attestationDigest(bytes32 id) external view returns (bytes32) {
        return _attestationDigest(id);
    }

    /// @notice The EIP-712 digest validators sign for a checkpoint of the route (srcChainId, srcGateway) → this
    ///         gateway: `Checkpoint(srcChainId, srcGateway, firstNonce, lastNonce, root)`.
    function checkpointDigest(uint256 srcChainId, address srcGateway, uint64 firstNonce, uint64 lastNonce, bytes32 root)
        external
        view
        returns (bytes32)
    {
        return _checkpointDigest(srcChainId, srcGateway, firstNonce, lastNonce, root);
    }

    /// @notice The checkpoint root of message ids in nonce order: a binary Merkle tree, parent =
    ///         keccak256(left ‖ right), an odd last node carried up unchanged; one id is its own root.
    function checkpointRoot(bytes32[] calldata ids) external pure returns (bytes32) {
        if (ids.length == 0) revert MalformedMessages(0, 0);
        bytes32[] memory leaves = ids;
        return _merkleRoot(leaves);
    }

    /// @notice The message ids `executeCheckpoint` computes from its packed `messages` for this chain.
    function checkpointIds(uint256 srcChainId, address srcGateway, uint64 firstNonce, bytes calldata messages)
        external
        view
        returns (bytes32[] memory)
    {
        return _checkpointIds(srcChainId, srcGateway, firstNonce, messages);
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

    /// @notice What the batched paths take as `validatorSet`: threshold (1 byte) ‖ validators (20 bytes each, in the
    ///         order they were configured).
    function validatorSet() external view returns (bytes memory) {
        return _packValidatorSet(_validators, threshold);
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

    // ──────────────────────────────── on-chain quotes (GasOracle) ────────────────────────────────
    // Kept together (state, event, error, functions) so this one block is the gateway's whole pricing surface.

    /// @notice The `GasOracle` `quoteFee` reads (zero: none; `quoteFee` reverts).
    address public gasOracle;

    event GasOracleChanged(address indexed previousOracle, address indexed newOracle);

    /// @notice `quoteFee` was called before the owner set a gas oracle.
    error GasOracleNotSet();

    /// @notice Points `quoteFee` at `oracle` (zero turns on-chain quotes off). Owner only.
    function setGasOracle(address oracle) external onlyOwner {
        emit GasOracleChanged(gasOracle, oracle);
        gasOracle = oracle;
    }

    /// @notice What to send along with `send` to `dstChainId` for a handler of `gasLimit` gas, in wei of this chain:
    ///         the relayer API's quote (`GET /v1/quote`) for the same prices, so a contract can pay without asking it.
    ///         Reverts `GasOracleNotSet`, or the oracle's `NoGasData` for a destination it never priced.
    function quoteFee(uint256 dstChainId, uint256 gasLimit) external view returns (uint256) {
        address oracle = gasOracle;
        if (oracle == address(0)) revert GasOracleNotSet();
        return IGasOracle(oracle).quoteFee(dstChainId, gasLimit);
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

    function _wordKey(uint256 srcChainId, address srcGateway, uint256 nonce) private pure returns (bytes32) {
        return keccak256(abi.encode(srcChainId, srcGateway, nonce >> 8));
    }

    function _status(uint256 srcChainId, address srcGateway, uint64 nonce, bytes32 id) private view returns (uint8) {
        if (_failed[id]) return uint8(Status.Failed);
        uint256 word = _executedWords[_wordKey(srcChainId, srcGateway, nonce)];
        return (word >> (nonce & 255)) & 1 == 1 ? uint8(Status.Delivered) : uint8(Status.None);
    }

    /// @dev Sets the replay bit of one message, reverting if it is set. Written before the signatures are checked
    ///      and before the recipient is called: a revert undoes it, and re-entrancy sees the message as done.
    function _markExecuted(uint256 srcChainId, address srcGateway, uint64 nonce, bytes32 id) private {
        bytes32 key = _wordKey(srcChainId, srcGateway, nonce);
        uint256 word = _executedWords[key];
        uint256 bit = 1 << (nonce & 255);
        if (word & bit != 0) _revertReplay(id);
        _executedWords[key] = word | bit;
    }

    /// @dev Sets the replay bits of `first..last` one storage word at a time (one write per 256 messages), reverting
    ///      on the first nonce already set.
    function _markRange(uint256 srcChainId, address srcGateway, uint256 first, uint256 last, bytes32[] memory ids)
        private
    {
        for (uint256 w = first >> 8; w <= last >> 8; ++w) {
            uint256 lo = w == first >> 8 ? first & 255 : 0;
            uint256 hi = w == last >> 8 ? last & 255 : 255;
            uint256 mask = hi - lo == 255 ? type(uint256).max : ((1 << (hi - lo + 1)) - 1) << lo;
            bytes32 key = keccak256(abi.encode(srcChainId, srcGateway, w));
            uint256 word = _executedWords[key];
            uint256 clash = word & mask;
            if (clash != 0) {
                uint256 b = 0;
                while ((clash >> b) & 1 == 0) ++b;
                _revertReplay(ids[(w << 8) + b - first]);
            }
            _executedWords[key] = word | mask;
        }
    }

    function _revertReplay(bytes32 id) private view {
        if (_failed[id]) revert AlreadyFailed(id);
        revert AlreadyExecuted(id);
    }

    /// @dev The end (exclusive) of the `executeBatch` message starting at `offset`, its bounds checked.
    function _batchMessageEnd(bytes calldata messages, uint256 offset, uint256 index) private pure returns (uint256) {
        uint256 end = messages.length;
        if (offset + 50 > end) revert MalformedMessages(index, offset);
        uint256 signaturesAt = offset + 50 + uint16(bytes2(messages[offset + 48:offset + 50]));
        if (signaturesAt >= end) revert MalformedMessages(index, offset);
        uint256 next = signaturesAt + 1 + uint256(uint8(messages[signaturesAt])) * 65;
        if (next > end) revert MalformedMessages(index, offset);
        return next;
    }

    /// @dev One message of `executeBatch`, bounds already checked: what `execute` does.
    function _executeOne(uint256 srcChainId, address srcGateway, bytes calldata set, bytes calldata m)
        private
        returns (bool)
    {
        uint64 nonce = uint64(bytes8(m[0:8]));
        address sender = address(bytes20(m[8:28]));
        address recipient = address(bytes20(m[28:48]));
        uint256 signaturesAt = 50 + uint16(bytes2(m[48:50]));
        bytes calldata payload = m[50:signaturesAt];
        bytes32 id =
            _messageId(srcChainId, srcGateway, nonce, block.chainid, sender, recipient, keccak256(payload));
        _markExecuted(srcChainId, srcGateway, nonce, id);
        _verifyPacked(_attestationDigest(id), m[signaturesAt + 1:], set);
        return _deliver(id, srcChainId, nonce, sender, recipient, payload, true);
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
            uint256 offset;
            assembly ("memory-safe") {
                offset := signature.offset
            }
            previous = _checkSignature(digest, offset, i, previous);
        }
    }

    /// @dev `_verifyAttestation` for signatures packed back to back, 65 bytes each, against the validator set given in
    ///      calldata (already checked by `_requireValidatorSet`): its threshold, and membership by a scan of its
    ///      addresses (a few hundred gas) instead of a cold storage read per signer.
    function _verifyPacked(bytes32 digest, bytes calldata signatures, bytes calldata set) private pure {
        uint256 count = signatures.length / 65;
        if (signatures.length % 65 != 0) revert SignatureLength(count);
        uint256 required = uint8(set[0]);
        if (count < required) revert BelowThreshold(count, required);
        uint256 offset;
        uint256 setStart;
        uint256 setEnd;
        assembly ("memory-safe") {
            offset := signatures.offset
            setStart := add(set.offset, 1)
            setEnd := add(set.offset, set.length)
        }
        address previous = address(0);
        for (uint256 i = 0; i < count; ++i) {
            address signer = _recover(digest, offset + i * 65, i);
            bool member;
            assembly ("memory-safe") {
                for { let p := setStart } lt(p, setEnd) { p := add(p, 20) } {
                    if eq(shr(96, calldataload(p)), signer) {
                        member := 1
                        break
                    }
                }
            }
            if (!member) revert NotValidator(i, signer);
            _requireAscending(i, signer, previous);
            previous = signer;
        }
    }

    /// @dev Reverts unless `set` is the current validator set (its hash is the stored one).
    function _requireValidatorSet(bytes calldata set) private view {
        bytes32 given;
        assembly ("memory-safe") {
            let buf := mload(0x40)
            calldatacopy(buf, set.offset, set.length)
            given := keccak256(buf, set.length)
        }
        bytes32 current = _validatorSetHash;
        if (given != current) revert ValidatorSetMismatch(given, current);
    }

    /// @dev Signature `index` at calldata `offset` (r ‖ s ‖ v) over `digest`: its signer, a validator above `previous`.
    function _checkSignature(bytes32 digest, uint256 offset, uint256 index, address previous)
        private
        view
        returns (address signer)
    {
        signer = _recover(digest, offset, index);
        // Membership first: a signature for another domain recovers to a random address, and
        // "not a validator" is the useful diagnosis for it, not its position.
        if (!_isValidator[signer]) revert NotValidator(index, signer);
        _requireAscending(index, signer, previous);
    }

    /// @dev The signer of signature `index` at calldata `offset` (r ‖ s ‖ v): low s, v 27 or 28, recoverable.
    function _recover(bytes32 digest, uint256 offset, uint256 index) private pure returns (address signer) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := calldataload(offset)
            s := calldataload(add(offset, 32))
            v := byte(0, calldataload(add(offset, 64)))
        }
        if (uint256(s) > HALF_ORDER) revert HighS(index);
        if (v != 27 && v != 28) revert InvalidSignature(index);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature(index);
    }

    /// @dev Ascending signers make duplicates detectable with one comparison per signature.
    function _requireAscending(uint256 index, address signer, address previous) private pure {
        if (signer == previous) revert DuplicateSigner(index, signer);
        if (signer < previous) revert SignersNotAscending(index, signer);
    }

    /// @dev Calls the recipient with `handlerGasLimit`; a revert marks the id Failed. The replay bit is already
    ///      set. Only reverts for `InsufficientGas`. `batched`: a success is announced by `MessageDelivered`.
    function _deliver(
        bytes32 id,
        uint256 srcChainId,
        uint64 nonce,
        address sender,
        address recipient,
        bytes calldata payload,
        bool batched
    ) private returns (bool success) {
        bytes memory revertData;
        if (recipient.code.length == 0) {
            // Nothing to call. A message without payload says it needs no handler: delivered by being recorded. A
            // payload for an account without code would be lost (a mistyped recipient, a wallet not deployed yet):
            // Failed, so `retry` can deliver it once code is there (counterfactual CREATE2 accounts).
            success = payload.length == 0;
            if (!success) _failed[id] = true;
        } else {
            (success, revertData) = _callGuarded(
                id, recipient, abi.encodeCall(IMessageRecipient.handle, (srcChainId, sender, payload))
            );
            if (!success) _failed[id] = true;
        }
        if (success && batched) emit MessageDelivered(id, srcChainId);
        else emit MessageExecuted(id, srcChainId, nonce, success, revertData);
    }

    /// @dev Ids of a checkpoint's packed messages, nonces `firstNonce, firstNonce + 1, …`. One pass checks the
    ///      bounds and counts, the second hashes: the 224-byte id preimage is kept in memory and only its
    ///      changing words are rewritten per message.
    function _checkpointIds(uint256 srcChainId, address srcGateway, uint64 firstNonce, bytes calldata messages)
        private
        view
        returns (bytes32[] memory ids)
    {
        uint256 n;
        uint256 p;
        uint256 end = messages.length;
        while (p < end) {
            if (p + 42 > end) revert MalformedMessages(n, p);
            uint256 next = p + 42 + uint16(bytes2(messages[p + 40:p + 42]));
            if (next > end) revert MalformedMessages(n, p);
            p = next;
            ++n;
        }
        if (n == 0) revert MalformedMessages(0, 0);
        assembly ("memory-safe") {
            ids := mload(0x40)
            mstore(ids, n)
            let out := add(ids, 0x20)
            let pre := add(out, shl(5, n))
            let buf := add(pre, 0xe0)
            mstore(pre, srcChainId)
            mstore(add(pre, 0x20), srcGateway)
            mstore(add(pre, 0x60), chainid())
            let q := messages.offset
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let len := shr(240, calldataload(add(q, 40)))
                calldatacopy(buf, add(q, 42), len)
                mstore(add(pre, 0x40), add(firstNonce, i))
                mstore(add(pre, 0x80), shr(96, calldataload(q)))
                mstore(add(pre, 0xa0), shr(96, calldataload(add(q, 20))))
                mstore(add(pre, 0xc0), keccak256(buf, len))
                mstore(add(out, shl(5, i)), keccak256(pre, 0xe0))
                q := add(q, add(42, len))
            }
            mstore(0x40, pre)
        }
    }

    /// @dev Merkle root of `leaves` (not modified): pairs hashed in place on a copy, an odd last node carried up.
    function _merkleRoot(bytes32[] memory leaves) private pure returns (bytes32 root) {
        assembly ("memory-safe") {
            let n := mload(leaves)
            let tree := mload(0x40)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                mstore(add(tree, shl(5, i)), mload(add(leaves, shl(5, add(i, 1)))))
            }
            for {} gt(n, 1) {} {
                let half := shr(1, n)
                for { let i := 0 } lt(i, half) { i := add(i, 1) } {
                    mstore(add(tree, shl(5, i)), keccak256(add(tree, shl(6, i)), 0x40))
                }
                if and(n, 1) { mstore(add(tree, shl(5, half)), mload(add(tree, shl(5, sub(n, 1))))) }
                n := add(half, and(n, 1))
            }
            root := mload(tree)
        }
    }

    /// @dev The checkpoint's recipients, in nonce order, each with `handlerGasLimit` and the same gas guard as
    ///      `_deliver`. The handler's calldata is built in one scratch buffer reused by every message. Successes
    ///      emit nothing (see `CheckpointExecuted`); a failure marks its id and emits `MessageExecuted`.
    function _deliverRange(uint256 srcChainId, uint64 firstNonce, bytes32[] memory ids, bytes calldata messages)
        private
        returns (uint256 failed)
    {
        uint256 required = (handlerGasLimit + CALL_OVERHEAD) * 64 / 63 + 1;
        uint256 q;
        uint256 buf;
        assembly ("memory-safe") {
            q := messages.offset
            buf := mload(0x40)
        }
        for (uint256 i = 0; i < ids.length; ++i) {
            // outcome: 1 the recipient handled it, or has no code and the message no payload (as `_deliver`);
            // 0 the recipient reverted; 2 a payload for an account without code. short: too little gas left for
            // the recipient's full limit
            uint256 outcome;
            bool short;
            uint256 gasLimit = handlerGasLimit;
            assembly ("memory-safe") {
                let len := shr(240, calldataload(add(q, 40)))
                let recipient := shr(96, calldataload(add(q, 20)))
                outcome := 2
                if iszero(len) { outcome := 1 }
                if extcodesize(recipient) {
                    // written per message: `_recordFailure` may have used this unreserved memory
                    mstore(buf, shl(224, 0x59f8e9b1)) // IMessageRecipient.handle.selector
                    mstore(add(buf, 0x04), srcChainId)
                    mstore(add(buf, 0x24), shr(96, calldataload(q)))
                    mstore(add(buf, 0x44), 0x60)
                    mstore(add(buf, 0x64), len)
                    calldatacopy(add(buf, 0x84), add(q, 42), len)
                    mstore(add(add(buf, 0x84), len), 0) // zero padding after the payload
                    switch lt(gas(), required)
                    case 1 { short := 1 }
                    default { outcome := call(gasLimit, recipient, 0, buf, add(0x84, and(add(len, 31), not(31))), 0, 0) }
                }
                q := add(q, add(42, len))
            }
            if (short) revert InsufficientGas(ids[i], gasleft(), required);
            if (outcome != 1) {
                ++failed;
                if (outcome == 0) _recordFailure(ids[i], srcChainId, uint64(firstNonce + i));
                else _recordNoCode(ids[i], srcChainId, uint64(firstNonce + i));
            }
        }
    }

    /// @dev A payload for an account without code (see `_deliver`): `id` Failed, no revert data.
    function _recordNoCode(bytes32 id, uint256 srcChainId, uint64 nonce) private {
        _failed[id] = true;
        emit MessageExecuted(id, srcChainId, nonce, false, "");
    }

    /// @dev Right after a failed recipient call: marks `id` Failed and emits its revert data, cut.
    function _recordFailure(bytes32 id, uint256 srcChainId, uint64 nonce) private {
        uint256 size;
        assembly ("memory-safe") {
            size := returndatasize()
        }
        if (size > MAX_REVERT_DATA) size = MAX_REVERT_DATA;
        bytes memory revertData = new bytes(size);
        assembly ("memory-safe") {
            returndatacopy(add(revertData, 0x20), 0, size)
        }
        _failed[id] = true;
        emit MessageExecuted(id, srcChainId, nonce, false, revertData);
    }

    /// @dev `_callHandler` with `handlerGasLimit`, after checking that the recipient surely gets all of it.
    function _callGuarded(bytes32 id, address recipient, bytes memory data)
        private
        returns (bool success, bytes memory revertData)
    {
        uint256 gasLimit = handlerGasLimit;
        // EIP-150: a CALL passes on at most 63/64 of the gas left. Without this check a relayer could
        // attach just enough gas for the handler to run out and the message to be marked Failed,
        // although it would succeed with its full limit. Here the recipient surely gets `gasLimit`.
        uint256 required = (gasLimit + CALL_OVERHEAD) * 64 / 63 + 1;
        uint256 left = gasleft();
        if (left < required) revert InsufficientGas(id, left, required);
        return _callHandler(recipient, gasLimit, data);
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
        _validatorSetHash = keccak256(_packValidatorSet(validators_, threshold_));
        emit ValidatorsChanged(validators_, threshold_);
    }

    /// @dev threshold (1 byte) ‖ validators (20 bytes each), what `_validatorSetHash` hashes.
    function _packValidatorSet(address[] memory validators_, uint8 threshold_) private pure returns (bytes memory packed) {
        packed = abi.encodePacked(threshold_);
        for (uint256 i = 0; i < validators_.length; ++i) {
            packed = bytes.concat(packed, bytes20(validators_[i]));
        }
    }

    function _domainSeparator() private view returns (bytes32) {
        return block.chainid == _cachedChainId ? _cachedDomainSeparator : _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _attestationDigest(bytes32 id) private view returns (bytes32) {
        return _hashTypedData(keccak256(abi.encode(ATTESTATION_TYPEHASH, id)));
    }

    function _checkpointDigest(uint256 srcChainId, address srcGateway, uint64 firstNonce, uint64 lastNonce, bytes32 root)
        private
        view
        returns (bytes32)
    {
        return _hashTypedData(
            keccak256(abi.encode(CHECKPOINT_TYPEHASH, srcChainId, srcGateway, firstNonce, lastNonce, root))
        );
    }

    function _hashTypedData(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }
}
