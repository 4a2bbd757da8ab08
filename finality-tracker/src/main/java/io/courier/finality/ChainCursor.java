package io.courier.finality;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a chain's watcher has got: the last block whose logs were scanned (with its hash, so a restart can
 * tell whether that block is still canonical) and the highest block known final. A watcher resumes from here
 * after a restart; it is saved only after the scanned range's transfers are persisted.
 */
public record ChainCursor(long chainId, long lastScannedBlock, String lastScannedHash, long finalizedHeight,
                          Instant updatedAt) {
    public ChainCursor {
        if (lastScannedBlock < 0 || finalizedHeight < 0) {
            throw new IllegalArgumentException("chain " + chainId + ": cursor heights must be >= 0, got scanned "
                    + lastScannedBlock + ", finalized " + finalizedHeight);
        }
        lastScannedHash = EvmHex.hash("chain " + chainId + " lastScannedHash", lastScannedHash);
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
