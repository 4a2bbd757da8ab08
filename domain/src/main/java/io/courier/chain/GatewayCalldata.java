package io.courier.chain;

import io.courier.chain.message.CheckpointRange;
import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.EvmAddress;
import io.courier.chain.message.ValidatorSignature;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * Calldata of the gateway's batched paths, with their messages packed (ADR 008): calldata is the largest
 * per-message cost once signatures are shared, and the ABI's padded {@code bytes[]}/tuples would double it.
 * <pre>
 * executeCheckpoint(uint256 srcChainId, address srcGateway, uint64 firstNonce, bytes32 root, bytes set, bytes signatures, bytes messages)
 *   set:        the gateway's current validatorSet(): threshold (1) ‖ validators (20 each, configured order)
 *   signatures: k × (r ‖ s ‖ v), 65 bytes each, signers ascending
 *   messages:   per message, nonce order: sender (20) ‖ recipient (20) ‖ payload length (2, big-endian) ‖ payload
 * executeBatch(uint256 srcChainId, address srcGateway, bytes set, bytes messages)
 *   messages:   per message: nonce (8) ‖ sender (20) ‖ recipient (20) ‖ payload length (2) ‖ payload ‖ count (1) ‖ count × 65
 * </pre>
 * The validator set travels in calldata (checked against one stored hash) because reading membership from storage
 * costs 2,100 gas per signer, more than the 20 bytes a validator costs in calldata.
 * Pure: the caller sorts signatures by signer (the gateway's order) and checks the gas the result needs.
 */
public final class GatewayCalldata {

    /** The largest payload a packed message can carry (its length is two bytes); the gateway's own cap is lower. */
    public static final int MAX_PACKED_PAYLOAD = 0xffff;
    /** At most this many signatures per message in {@code executeBatch} (the count is one byte). */
    public static final int MAX_SIGNATURES_PER_MESSAGE = 0xff;

    private GatewayCalldata() {}

    /**
     * The gateway's validator set as its batched paths take it ({@code Gateway.validatorSet()}): the threshold and the
     * validators in the order they were configured (not sorted: the gateway hashes them as configured).
     */
    public record ValidatorSet(int threshold, List<String> validators) {
        public ValidatorSet {
            validators = validators.stream().map(v -> EvmAddress.normalize("validator", v)).toList();
            if (threshold < 1 || threshold > validators.size() || threshold > 0xff) {
                throw new IllegalArgumentException("threshold " + threshold + " of " + validators.size() + " validators");
            }
        }

        /** The set from its packed form, as {@code Gateway.validatorSet()} returns it. */
        public static ValidatorSet fromPacked(byte[] packed) {
            if (packed.length < 21 || (packed.length - 1) % 20 != 0) {
                throw new IllegalArgumentException("a packed validator set is 1 + 20 x n bytes, got " + packed.length);
            }
            List<String> validators = new java.util.ArrayList<>();
            for (int i = 1; i < packed.length; i += 20) {
                validators.add(org.web3j.utils.Numeric.toHexString(java.util.Arrays.copyOfRange(packed, i, i + 20)));
            }
            return new ValidatorSet(packed[0] & 0xff, validators);
        }

        /** threshold (1 byte) ‖ validators (20 bytes each). */
        public byte[] packed() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(threshold);
            validators.forEach(v -> out.writeBytes(EvmAddress.bytes("validator", v)));
            return out.toByteArray();
        }
    }

    /** One message of {@code executeBatch} with its own attestation. */
    public record Signed(CrossChainMessage message, List<ValidatorSignature> signatures) {
        public Signed {
            Objects.requireNonNull(message, "message");
            signatures = List.copyOf(signatures);
            if (signatures.size() > MAX_SIGNATURES_PER_MESSAGE) {
                throw new IllegalArgumentException("message " + message.id() + ": " + signatures.size()
                        + " signatures, a packed message holds at most " + MAX_SIGNATURES_PER_MESSAGE);
            }
        }
    }

    /** {@code executeCheckpoint} of {@code range} (one route, contiguous nonces) under {@code root}, hex with {@code 0x}. */
    public static String executeCheckpoint(List<CrossChainMessage> range, CheckpointRoot root, ValidatorSet set,
                                           List<ValidatorSignature> signatures) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(set, "validator set");
        byte[] messages = checkpointMessages(range);
        CrossChainMessage first = range.get(0);
        return FunctionEncoder.encode(new Function("executeCheckpoint", List.of(
                new Uint256(first.srcChainId()), new Address(first.srcGateway()), new Uint64(BigInteger.valueOf(first.nonce())),
                new Bytes32(root.value().bytes()), new DynamicBytes(set.packed()), new DynamicBytes(packedSignatures(signatures)),
                new DynamicBytes(messages)),
                List.of()));
    }

    /** {@code executeBatch} of {@code batch}: one source route, any nonces, hex with {@code 0x}. */
    public static String executeBatch(ValidatorSet set, List<Signed> batch) {
        Objects.requireNonNull(set, "validator set");
        if (batch == null || batch.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one message");
        }
        CrossChainMessage first = batch.get(0).message();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Signed signed : batch) {
            CrossChainMessage m = signed.message();
            if (m.srcChainId() != first.srcChainId() || !m.srcGateway().equals(first.srcGateway()) || m.dstChainId() != first.dstChainId()) {
                throw new IllegalArgumentException("message " + m.id() + " is on route " + m.srcChainId() + "/" + m.srcGateway() + " -> "
                        + m.dstChainId() + ", the batch's is " + first.srcChainId() + "/" + first.srcGateway() + " -> " + first.dstChainId());
            }
            for (int i = 7; i >= 0; i--) {
                out.write((int) (m.nonce() >>> (8 * i)));
            }
            writeMessage(out, m);
            out.write(signed.signatures().size());
            out.writeBytes(packedSignatures(signed.signatures()));
        }
        return FunctionEncoder.encode(new Function("executeBatch", List.of(
                new Uint256(first.srcChainId()), new Address(first.srcGateway()), new DynamicBytes(set.packed()),
                new DynamicBytes(out.toByteArray())), List.of()));
    }

    /** The {@code messages} argument of {@code executeCheckpoint} (and of the gateway's {@code checkpointIds} view). */
    public static byte[] checkpointMessages(List<CrossChainMessage> range) {
        requireRoute(range);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        range.forEach(m -> writeMessage(out, m));
        return out.toByteArray();
    }

    /** Signatures back to back, 65 bytes each, in the order given. */
    public static byte[] packedSignatures(List<ValidatorSignature> signatures) {
        byte[] packed = new byte[signatures.size() * ValidatorSignature.LENGTH];
        for (int i = 0; i < signatures.size(); i++) {
            System.arraycopy(signatures.get(i).bytes(), 0, packed, i * ValidatorSignature.LENGTH, ValidatorSignature.LENGTH);
        }
        return packed;
    }

    /** The messages of an {@code executeCheckpoint}'s {@code messages} argument: the inverse of {@link #checkpointMessages}. */
    public static List<CrossChainMessage> readCheckpointMessages(long srcChainId, String srcGateway, long firstNonce, long dstChainId,
                                                                 byte[] messages) {
        List<CrossChainMessage> range = new java.util.ArrayList<>();
        Reader in = new Reader(messages);
        while (in.more()) {
            range.add(in.message(srcChainId, srcGateway, firstNonce + range.size(), dstChainId));
        }
        return range;
    }

    /** The messages and signatures of an {@code executeBatch}'s {@code messages} argument: the inverse of {@link #executeBatch}'s packing. */
    public static List<Signed> readBatch(long srcChainId, String srcGateway, long dstChainId, byte[] messages) {
        List<Signed> batch = new java.util.ArrayList<>();
        Reader in = new Reader(messages);
        while (in.more()) {
            long nonce = new BigInteger(1, in.take(8)).longValueExact();
            CrossChainMessage m = in.message(srcChainId, srcGateway, nonce, dstChainId);
            int count = Byte.toUnsignedInt(in.take(1)[0]);
            batch.add(new Signed(m, readSignatures(in.take(count * ValidatorSignature.LENGTH))));
        }
        return batch;
    }

    /** Signatures packed back to back: the inverse of {@link #packedSignatures}. */
    public static List<ValidatorSignature> readSignatures(byte[] packed) {
        if (packed.length % ValidatorSignature.LENGTH != 0) {
            throw new IllegalArgumentException("packed signatures are 65 bytes each, got " + packed.length + " bytes");
        }
        List<ValidatorSignature> signatures = new java.util.ArrayList<>();
        for (int i = 0; i < packed.length; i += ValidatorSignature.LENGTH) {
            signatures.add(ValidatorSignature.fromBytes(java.util.Arrays.copyOfRange(packed, i, i + ValidatorSignature.LENGTH)));
        }
        return signatures;
    }

    /** Reads packed fields in order, refusing to run past the end. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean more() {
            return at < bytes.length;
        }

        byte[] take(int n) {
            if (at + n > bytes.length) {
                throw new IllegalArgumentException("packed messages end at byte " + bytes.length + ", " + n + " more needed at byte " + at);
            }
            byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + n);
            at += n;
            return out;
        }

        /** sender (20) ‖ recipient (20) ‖ payload length (2) ‖ payload, as {@link #writeMessage} writes it. */
        CrossChainMessage message(long srcChainId, String srcGateway, long nonce, long dstChainId) {
            String sender = org.web3j.utils.Numeric.toHexString(take(20));
            String recipient = org.web3j.utils.Numeric.toHexString(take(20));
            byte[] length = take(2);
            byte[] payload = take(((length[0] & 0xff) << 8) | (length[1] & 0xff));
            return new CrossChainMessage(srcChainId, srcGateway, nonce, dstChainId, sender, recipient, payload);
        }
    }

    private static void requireRoute(List<CrossChainMessage> range) {
        CheckpointRange.requireContiguous(range);
    }

    private static void writeMessage(ByteArrayOutputStream out, CrossChainMessage m) {
        if (m.payloadLength() > MAX_PACKED_PAYLOAD) {
            throw new IllegalArgumentException("message " + m.id() + " of chain " + m.srcChainId() + ": payload of "
                    + m.payloadLength() + " bytes, a packed message holds at most " + MAX_PACKED_PAYLOAD);
        }
        out.writeBytes(EvmAddress.bytes("sender", m.sender()));
        out.writeBytes(EvmAddress.bytes("recipient", m.recipient()));
        out.write(m.payloadLength() >>> 8);
        out.write(m.payloadLength());
        out.writeBytes(m.payload());
    }
}
