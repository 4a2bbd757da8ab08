package io.courier.chain;

import io.courier.chain.message.Hex;

import java.util.Objects;

/**
 * The part of a block the relayer needs: where it sits ({@code number}), what it is ({@code hash}) and what
 * it builds on ({@code parentHash}, which is how reorgs are detected: Ganache never marks logs removed).
 *
 * @param timestamp seconds since the epoch, as the block states it
 */
public record BlockHeader(long number, String hash, String parentHash, long timestamp) {
    public BlockHeader {
        if (number < 0) {
            throw new IllegalArgumentException("block number must be >= 0, was " + number);
        }
        hash = Hex.normalize(Objects.requireNonNull(hash, "hash"));
        parentHash = Hex.normalize(Objects.requireNonNull(parentHash, "parentHash"));
    }
}
