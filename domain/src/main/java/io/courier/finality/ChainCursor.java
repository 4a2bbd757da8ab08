package io.courier.finality;

import io.courier.chain.message.Hex;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a chain's watcher has got: the last block whose logs were scanned (with its hash, so a restart can
 * tell whether that block is still canonical) and the highest block known final. A watcher resumes from here
 * after a restart; it is saved only after the scanned range's transfers are persisted.
 *
 * <p>{@code halted} says the chain is stopped — a reorg replaced a block Courier had treated as final (see
 * {@link ReorgPolicy}) — with {@code haltReason} saying why ({@code null} when not halted). A halted chain is not
 * watched until an operator resumes it. {@code updatedAt} is the last change of the row: a save, a halt or a resume
 * (while halted, the time of the halt: a halted watcher saves no progress).
 */
public record ChainCursor(long chainId, long lastScannedBlock, String lastScannedHash, long finalizedHeight,
                          Instant updatedAt, boolean halted, String haltReason, String finalizedHash) {
    public ChainCursor {
        if (finalizedHash != null) {
            finalizedHash = Hex.hash("chain " + chainId + " finalizedHash", finalizedHash);
        }
        if (lastScannedBlock < 0 || finalizedHeight < 0) {
            throw new IllegalArgumentException("chain " + chainId + ": cursor heights must be >= 0, got scanned "
                    + lastScannedBlock + ", finalized " + finalizedHeight);
        }
        lastScannedHash = Hex.hash("chain " + chainId + " lastScannedHash", lastScannedHash);
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (halted && (haltReason == null || haltReason.isBlank())) {
            throw new IllegalArgumentException("chain " + chainId + ": a halted cursor needs a halt reason");
        }
        if (!halted && haltReason != null) {
            throw new IllegalArgumentException("chain " + chainId + ": a running cursor has no halt reason, got '"
                    + haltReason + "'");
        }
    }

    /**
     * A running (not halted) cursor: what a watcher saves as it makes progress. {@code finalizedHash} is the hash of
     * block {@code finalizedHeight}: a restart that finds another block there knows a reorg deeper than finality
     * happened while it was away ({@code null}: not known, e.g. a cursor written before schema version 3).
     */
    public ChainCursor(long chainId, long lastScannedBlock, String lastScannedHash, long finalizedHeight,
                       Instant updatedAt, String finalizedHash) {
        this(chainId, lastScannedBlock, lastScannedHash, finalizedHeight, updatedAt, false, null, finalizedHash);
    }

    /** A running cursor without the finalized block's hash. */
    public ChainCursor(long chainId, long lastScannedBlock, String lastScannedHash, long finalizedHeight,
                       Instant updatedAt) {
        this(chainId, lastScannedBlock, lastScannedHash, finalizedHeight, updatedAt, null);
    }

    public java.util.Optional<String> finalizedBlockHash() {
        return java.util.Optional.ofNullable(finalizedHash);
    }

    /** This cursor halted for {@code reason} at {@code at}. */
    public ChainCursor haltedFor(String reason, Instant at) {
        return new ChainCursor(chainId, lastScannedBlock, lastScannedHash, finalizedHeight, at, true, reason, finalizedHash);
    }

    /** This cursor running again since {@code at}. */
    public ChainCursor resumedAt(Instant at) {
        return new ChainCursor(chainId, lastScannedBlock, lastScannedHash, finalizedHeight, at, false, null, finalizedHash);
    }
}
