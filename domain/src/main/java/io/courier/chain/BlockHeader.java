package io.courier.chain;

import io.courier.chain.message.BlockHash;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The part of a block the relayer needs: where it sits ({@code number}), what it is ({@code hash}) and what
 * it builds on ({@code parentHash}, which is how reorgs are detected: Ganache never marks logs removed).
 *
 * @param timestamp seconds since the epoch, as the block states it
 * @param gasLimit the block's gas limit when the node gave it: no transaction needing more fits in a block
 */
public record BlockHeader(long number, BlockHash hash, BlockHash parentHash, long timestamp, OptionalLong gasLimit) {
    public BlockHeader {
        if (number < 0) {
            throw new IllegalArgumentException("block number must be >= 0, was " + number);
        }
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(parentHash, "parentHash");
        Objects.requireNonNull(gasLimit, "gasLimit");
    }

    /** Without a gas limit (not needed, or not given). */
    public BlockHeader(long number, BlockHash hash, BlockHash parentHash, long timestamp) {
        this(number, hash, parentHash, timestamp, OptionalLong.empty());
    }
}
