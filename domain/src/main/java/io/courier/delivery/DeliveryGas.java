package io.courier.delivery;

import io.courier.chain.message.CrossChainMessage;
import java.util.List;

/**
 * What a delivery path is expected to cost, from the shapes ADR 008 measured ({@code ./courier bench gas}: 3-of-5,
 * 96-byte payloads, a lone message 59,467, 5,613 a message in a checkpoint of 32, 4,260 in one of 128, 26,079 in an
 * {@code executeBatch} of 32). The figures are upper-leaning, for choosing a path and sizing a batch under the gas
 * cap; the transaction's gas limit comes from the chain's own estimate.
 *
 * @param signatures      signatures per attestation (the set's threshold)
 * @param validators      validators in the set (each costs 20 calldata bytes on the batched paths)
 * @param handlerGas      what one recipient's {@code handle} is expected to use
 * @param handlerReserve  gas the gateway wants left before its last handler call (its 63/64 guard on
 *                        {@code handlerGasLimit}), paid for in the limit, not in gas used
 */
public record DeliveryGas(int signatures, int validators, long handlerGas, long handlerReserve) {

    static final long INTRINSIC = 21_000;
    /** Call dispatch, validator-set hash check, loop set-up. */
    static final long BATCH_FIXED = 6_000;
    /** Per message in a batch: id hash, digest, bitmap write in a word in use, call into the recipient, the event. */
    static final long BATCH_PER_MESSAGE = 11_000;
    /** Per signature: ecrecover, membership scan of the set in calldata. */
    static final long PER_SIGNATURE = 4_500;
    /** Root recomputation set-up, digest, marking the range. */
    static final long CHECKPOINT_FIXED = 9_000;
    /** Per message in a checkpoint: id hash, its share of the tree, call into the recipient, its bit. */
    static final long CHECKPOINT_PER_MESSAGE = 2_600;
    /** A packed message's fixed bytes: sender, recipient, payload length. */
    static final int PACKED_FIXED_BYTES = 42;
    static final int SIGNATURE_BYTES = 65;
    /** Calldata is priced as if every byte were non-zero: an upper bound. */
    static final long CALLDATA_BYTE = 16;

    public DeliveryGas {
        if (signatures < 1 || validators < signatures) {
            throw new IllegalArgumentException("needs 1 <= signatures <= validators, was " + signatures + " of " + validators);
        }
        if (handlerGas < 0 || handlerReserve < 0) {
            throw new IllegalArgumentException("handler gas and reserve must be >= 0, were " + handlerGas + " and " + handlerReserve);
        }
    }

    /** The validator set and the ABI's head words, paid once per transaction on the batched paths. */
    long setAndHead() {
        return CALLDATA_BYTE * (1 + 20L * validators + 6 * 32);
    }

    long batchMessage(CrossChainMessage m) {
        long bytes = 8 + PACKED_FIXED_BYTES + m.payloadLength() + 1 + (long) SIGNATURE_BYTES * signatures;
        return CALLDATA_BYTE * bytes + BATCH_PER_MESSAGE + PER_SIGNATURE * signatures + handlerGas;
    }

    long checkpointMessage(CrossChainMessage m) {
        return CALLDATA_BYTE * (PACKED_FIXED_BYTES + m.payloadLength()) + CHECKPOINT_PER_MESSAGE + handlerGas;
    }

    public long lone(CrossChainMessage m) {
        return INTRINSIC + setAndHead() + BATCH_FIXED + batchMessage(m) + handlerReserve;
    }

    public long batch(List<CrossChainMessage> messages) {
        return INTRINSIC + setAndHead() + BATCH_FIXED + messages.stream().mapToLong(this::batchMessage).sum() + handlerReserve;
    }

    public long checkpoint(List<CrossChainMessage> range) {
        long signatureBytes = (long) SIGNATURE_BYTES * signatures;
        return INTRINSIC + setAndHead() + CALLDATA_BYTE * signatureBytes + PER_SIGNATURE * signatures + CHECKPOINT_FIXED
                + range.stream().mapToLong(this::checkpointMessage).sum() + handlerReserve;
    }

    /** Calldata bytes of an {@code executeBatch} of {@code messages} (the ABI's head and the set included). */
    public long batchBytes(List<CrossChainMessage> messages) {
        return 4 + 6 * 32 + 1 + 20L * validators
                + messages.stream().mapToLong(m -> 8 + PACKED_FIXED_BYTES + m.payloadLength() + 1 + (long) SIGNATURE_BYTES * signatures).sum();
    }

    /** Calldata bytes of an {@code executeCheckpoint} of {@code range}. */
    public long checkpointBytes(List<CrossChainMessage> range) {
        return 4 + 10 * 32 + 1 + 20L * validators + (long) SIGNATURE_BYTES * signatures
                + range.stream().mapToLong(m -> PACKED_FIXED_BYTES + m.payloadLength()).sum();
    }
}
