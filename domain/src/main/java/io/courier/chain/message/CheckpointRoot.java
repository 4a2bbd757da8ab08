package io.courier.chain.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * The root validators sign for a checkpoint, exactly as {@code Gateway.checkpointRoot(ids)} and
 * {@code executeCheckpoint} compute it: a binary Merkle tree over the message ids of a contiguous nonce range in
 * nonce order, parent = keccak256(left ‖ right), an odd last node carried up a level unchanged; one id is its own
 * root. The tree's shape follows from the range's length alone, so a leaf's position is its nonce minus the first.
 */
public record CheckpointRoot(Bytes32 value) {

    public CheckpointRoot {
        Objects.requireNonNull(value, "checkpoint root value");
    }

    /** The root over {@code ids}, in nonce order; at least one. */
    public static CheckpointRoot of(List<MessageId> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint covers at least one message id");
        }
        List<byte[]> level = ids.stream().map(MessageId::bytes).toList();
        while (level.size() > 1) {
            level = levelUp(level);
        }
        return new CheckpointRoot(Bytes32.of(level.get(0)));
    }

    /** The level above {@code level}: pairs hashed left to right, an odd last node carried up unchanged. */
    static List<byte[]> levelUp(List<byte[]> level) {
        List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
        for (int i = 0; i + 1 < level.size(); i += 2) {
            up.add(parent(level.get(i), level.get(i + 1)));
        }
        if (level.size() % 2 == 1) {
            up.add(level.get(level.size() - 1));
        }
        return up;
    }

    /** keccak256(left ‖ right), as the gateway hashes two nodes. */
    static byte[] parent(byte[] left, byte[] right) {
        byte[] pair = new byte[2 * Bytes32.SIZE];
        System.arraycopy(left, 0, pair, 0, Bytes32.SIZE);
        System.arraycopy(right, 0, pair, Bytes32.SIZE, Bytes32.SIZE);
        return Hash.sha3(pair);
    }

    /** The root over the ids of {@code range}, which must be one route's contiguous nonces ({@link CheckpointRange}). */
    public static CheckpointRoot ofMessages(List<CrossChainMessage> range) {
        CheckpointRange.requireContiguous(range);
        return of(range.stream().map(CrossChainMessage::id).toList());
    }

    public String toHex() {
        return value.toHex();
    }

    @Override
    public String toString() {
        return value.toHex();
    }
}
