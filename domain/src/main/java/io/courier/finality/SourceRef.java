package io.courier.finality;

import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;
import java.util.Objects;

/**
 * Where a transfer's {@code MessageSent} log was seen on the source chain. The block hash is what reorg
 * detection compares against the canonical chain; the log index tells apart several messages in one
 * transaction.
 */
public record SourceRef(TxHash txHash, long blockNumber, BlockHash blockHash, int logIndex) {
    public SourceRef {
        Objects.requireNonNull(txHash, "source txHash");
        Objects.requireNonNull(blockHash, "source blockHash");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("source blockNumber must be >= 0, got " + blockNumber);
        }
        if (logIndex < 0) {
            throw new IllegalArgumentException("source logIndex must be >= 0, got " + logIndex);
        }
    }
}
