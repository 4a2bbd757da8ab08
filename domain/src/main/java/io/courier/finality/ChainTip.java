package io.courier.finality;

/**
 * What a chain reports about its newest blocks at one moment: the head, and the {@code safe} and {@code finalized}
 * tags where the chain has them ({@code -1} when it does not, or does not say).
 *
 * <p>It exists so {@link FinalityPolicy} can grow tag-based policies: a confirmation count only needs the head,
 * a {@code finalized}-tag policy needs what the chain itself calls final.
 */
public record ChainTip(long head, long safe, long finalized) {

    public static final long UNKNOWN = -1;

    public ChainTip {
        if (head < 0) {
            throw new IllegalArgumentException("head must be >= 0, got " + head);
        }
        if (safe < UNKNOWN || finalized < UNKNOWN) {
            throw new IllegalArgumentException("safe/finalized must be >= 0 or UNKNOWN (-1), got " + safe + "/" + finalized);
        }
    }

    /** A tip that only knows its head (chains without tags, or policies that need no more). */
    public static ChainTip ofHead(long head) {
        return new ChainTip(head, UNKNOWN, UNKNOWN);
    }
}
