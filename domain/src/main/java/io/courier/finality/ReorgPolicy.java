package io.courier.finality;

import java.util.Objects;

/**
 * Whether a reorg is one Courier handles in stride or one that must stop the chain (docs/ARCHITECTURE.md §3: "a reorg deeper than
 * the policy halts that chain").
 *
 * <p>The rule is the same for every {@link FinalityPolicy}: a reorg is {@link DeeperThanFinality} when the lowest
 * block it replaced is at or below the chain's finalized height — the highest block the policy calls final
 * ({@link FinalityPolicy#finalizedHeight(ChainTip)} at the last tip seen before the reorg), or the height the
 * watcher recorded as final, whichever is higher. Such a block may already have been attested and delivered on
 * another chain, which no state transition can undo: the chain halts until an operator resumes it. Anything
 * shallower is {@link WithinFinality}: transfers in the orphaned blocks are relocated or marked {@code REORGED}.
 *
 * <p>For {@link FinalityPolicy.Confirmations}{@code (n)} this is simply {@code depth >= n}. For
 * {@link FinalityPolicy.Tag} the tag height is used without the minimum age, which is conservative: a reorg below
 * the chain's own {@code safe}/{@code finalized} tag halts even if Courier had not acted on those blocks yet (such a
 * reorg means the chain broke its own promise, which an operator should see). A {@link CanonicalWindow.BeyondWindow}
 * always halts: the fork point cannot be seen, so nothing can be reconciled.
 *
 * <p>Pure and stateless; one per chain, next to its {@link FinalityPolicy}.
 */
public record ReorgPolicy(FinalityPolicy policy) {

    public ReorgPolicy {
        Objects.requireNonNull(policy, "policy");
    }

    /** The verdict on a reorg. */
    public sealed interface Verdict permits WithinFinality, DeeperThanFinality {
        /** Blocks orphaned. */
        int depth();

        /** The lowest orphaned block number. */
        long lowestOrphaned();

        /** The finalized height it was judged against ({@code -1}: nothing was final). */
        long finalizedHeight();

        default boolean mustHalt() {
            return this instanceof DeeperThanFinality;
        }
    }

    /** Only blocks above the finalized height were replaced: handle the orphaned transfers normally. */
    public record WithinFinality(int depth, long lowestOrphaned, long finalizedHeight) implements Verdict {}

    /**
     * A block at or below the finalized height was replaced: halt the chain. {@code reason} says so in words, for
     * the cursor's halt reason, the log and the alert.
     */
    public record DeeperThanFinality(int depth, long lowestOrphaned, long finalizedHeight, String reason)
            implements Verdict {
        public DeeperThanFinality {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The core rule: a reorg that orphaned {@code depth} blocks from {@code lowestOrphaned} up, against
     * {@code finalizedHeight}.
     */
    public static Verdict judge(long lowestOrphaned, int depth, long finalizedHeight) {
        if (depth < 1) {
            throw new IllegalArgumentException("a reorg orphans at least one block, got depth " + depth);
        }
        if (lowestOrphaned <= finalizedHeight) {
            return new DeeperThanFinality(depth, lowestOrphaned, finalizedHeight, "reorg of depth " + depth
                    + " replaced block " + lowestOrphaned + " at or below finalized height " + finalizedHeight);
        }
        return new WithinFinality(depth, lowestOrphaned, finalizedHeight);
    }

    /**
     * A reorg of {@code depth} blocks ending at {@code lastTip.head()} (the old tip), judged against the policy's
     * finalized height at {@code lastTip}. For {@code Confirmations(n)}: deeper than finality iff {@code depth >= n}.
     */
    public Verdict judge(int depth, ChainTip lastTip) {
        return judge(lastTip.head() - depth + 1, depth, policy.finalizedHeight(lastTip));
    }

    /** A resolved reorg, judged against the policy's finalized height at {@code lastTip} (the tip before it). */
    public Verdict judge(CanonicalWindow.Reorg reorg, ChainTip lastTip) {
        return judge(reorg, lastTip, ChainTip.UNKNOWN);
    }

    /**
     * A resolved reorg, judged against the higher of the policy's finalized height at {@code lastTip} and
     * {@code recordedFinalizedHeight} (e.g. {@link ChainCursor#finalizedHeight()}: what the watcher already acted on).
     */
    public Verdict judge(CanonicalWindow.Reorg reorg, ChainTip lastTip, long recordedFinalizedHeight) {
        long finalized = Math.max(policy.finalizedHeight(lastTip), recordedFinalizedHeight);
        return judge(reorg.lowestOrphaned(), reorg.depth(), finalized);
    }

    /** A reorg deeper than the window: always halts. */
    public Verdict judge(CanonicalWindow.BeyondWindow beyond) {
        Header oldest = beyond.oldest();
        return new DeeperThanFinality(beyond.minDepth(), oldest.number(), ChainTip.UNKNOWN,
                "reorg deeper than the canonical window: no common ancestor at or above block " + oldest.number()
                        + " (" + oldest.hash() + "), at least " + beyond.minDepth() + " blocks replaced");
    }
}
