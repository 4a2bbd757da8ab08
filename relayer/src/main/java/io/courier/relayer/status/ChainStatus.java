package io.courier.relayer.status;

import java.util.Objects;

/**
 * What the API tells about one chain this node watches ({@code GET /v1/chains}). Block figures are {@code null}
 * until the watcher has seen them (a chain whose RPC never answered has no head).
 *
 * @param chainId         the EVM chain id
 * @param name            the configured name (the {@code chain} label of metrics is the id)
 * @param headBlock       the latest block number seen
 * @param lastScannedBlock the last block whose gateway logs are durably recorded (the cursor)
 * @param finalizedHeight the highest block that meets the chain's finality policy
 * @param lagBlocks       {@code headBlock - lastScannedBlock}: how far the scan is behind the head
 * @param headAgeSeconds  seconds between now and the head block's timestamp
 * @param healthy         the RPC answers and the watcher runs
 * @param halted          the watcher stopped on purpose (e.g. a reorg deeper than the finality policy)
 * @param haltReason      why, when {@code halted}; otherwise {@code null}
 * @param waitingForQuorum what keeps transfers from being finalized because too few of the chain's RPC endpoints
 *                        agree (docs/adr/007-quorum-reads.md); {@code null} when nothing waits for that
 * @param signerBelowFloor why this node's submitter takes no new work on the chain (its signer's balance is below the
 *                        floor); {@code null} when it does
 */
public record ChainStatus(long chainId, String name, Long headBlock, Long lastScannedBlock, Long finalizedHeight,
                          Long lagBlocks, Long headAgeSeconds, boolean healthy, boolean halted, String haltReason,
                          String waitingForQuorum, String signerBelowFloor) {

    public ChainStatus(long chainId, String name, Long headBlock, Long lastScannedBlock, Long finalizedHeight,
                       Long lagBlocks, Long headAgeSeconds, boolean healthy, boolean halted, String haltReason,
                       String waitingForQuorum) {
        this(chainId, name, headBlock, lastScannedBlock, finalizedHeight, lagBlocks, headAgeSeconds, healthy, halted,
                haltReason, waitingForQuorum, null);
    }

    /** This status with the submitter's funds as {@link SignerFunds} says now. */
    public ChainStatus withSignerBelowFloor(String reason) {
        return new ChainStatus(chainId, name, headBlock, lastScannedBlock, finalizedHeight, lagBlocks, headAgeSeconds, healthy, halted,
                haltReason, waitingForQuorum, reason);
    }

    /** A status with nothing waiting for the endpoints' quorum. */
    public ChainStatus(long chainId, String name, Long headBlock, Long lastScannedBlock, Long finalizedHeight,
                       Long lagBlocks, Long headAgeSeconds, boolean healthy, boolean halted, String haltReason) {
        this(chainId, name, headBlock, lastScannedBlock, finalizedHeight, lagBlocks, headAgeSeconds, healthy, halted,
                haltReason, null);
    }

    public ChainStatus {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive, got " + chainId);
        }
        Objects.requireNonNull(name, "name of chain " + chainId);
        if (halted && (haltReason == null || haltReason.isBlank())) {
            throw new IllegalArgumentException("chain " + chainId + " is halted without a reason");
        }
        if (!halted) {
            haltReason = null;
        }
    }

    /** A chain the watcher has not heard from yet: nothing known, not healthy. */
    public static ChainStatus starting(long chainId, String name) {
        return new ChainStatus(chainId, name, null, null, null, null, null, false, false, null, null, null);
    }
}
