package io.courier.finality;

import io.courier.chain.message.Hex;

/**
 * Where a transfer's {@code MessageSent} log was seen on the source chain. The block hash is what reorg
 * detection compares against the canonical chain; the log index tells apart several messages in one
 * transaction.
 */
public record SourceRef(String txHash, long blockNumber, String blockHash, int logIndex) {
    public SourceRef {
        txHash = Hex.hash("source txHash", txHash);
        blockHash = Hex.hash("source blockHash", blockHash);
        if (blockNumber < 0) {
            throw new IllegalArgumentException("source blockNumber must be >= 0, got " + blockNumber);
        }
        if (logIndex < 0) {
            throw new IllegalArgumentException("source logIndex must be >= 0, got " + logIndex);
        }
    }
}
