package io.courier.finality;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * When a source block counts as final for a chain. A sealed interface so every policy is known here and handled
 * exhaustively:
 * <ul>
 *   <li>{@link Confirmations}: final once {@code n} blocks (the block itself included) are on top of it — reads
 *       only {@link ChainTip#head()};</li>
 *   <li>{@link Tag}: final once the chain's own {@code safe} or {@code finalized} tag has reached the block
 *       ({@link ChainTip#safe()} / {@link ChainTip#finalized()}) <em>and</em> the block is at least {@code minAge}
 *       old — for chains whose consensus says what is final (Ethereum PoS, most L2s).</li>
 * </ul>
 *
 * <p>The full question is {@link #isFinal(long, Instant, ChainTip, Instant)}: the block's number and timestamp, what
 * the chain reports ({@link ChainTip}) and the current time (from the caller's clock: this package reads no clock).
 * The shorter overloads are kept for callers that only know heights; see each for what it assumes.
 */
public sealed interface FinalityPolicy permits FinalityPolicy.Confirmations, FinalityPolicy.Tag {

    /**
     * Whether block {@code blockNumber}, stamped {@code blockTime} by its chain, is final given what the chain
     * reports in {@code tip}, at {@code now}.
     */
    boolean isFinal(long blockNumber, Instant blockTime, ChainTip tip, Instant now);

    /**
     * Whether {@code blockNumber} is final given only {@code tip}, without times. Exact for {@link Confirmations}.
     * For a {@link Tag} policy with a minimum age the age cannot be checked, so the answer is {@code false} (never
     * final too early): use {@link #isFinal(long, Instant, ChainTip, Instant)}.
     */
    boolean isFinal(long blockNumber, ChainTip tip);

    /** Shorthand for chains and policies where only the head matters ({@code false} for tag policies). */
    default boolean isFinal(long blockNumber, long head) {
        return isFinal(blockNumber, ChainTip.ofHead(head));
    }

    /**
     * The highest block this policy may call final at {@code tip}, ignoring any minimum age; {@code -1}
     * ({@link ChainTip#UNKNOWN}) when none is. Every block above it is not final; a reorg that replaces a block at
     * or below it replaced a block that was (or could have been) treated as final: see {@link ReorgPolicy}.
     */
    long finalizedHeight(ChainTip tip);

    /**
     * How many blocks confirm {@code blockNumber} at {@code head}, counting the block itself (the usual
     * convention: a block at the head has one confirmation); 0 when the head is below the block (a head that
     * went backwards in a reorg).
     */
    default long confirmations(long blockNumber, long head) {
        return head >= blockNumber ? head - blockNumber + 1 : 0;
    }

    /** Final once {@code n} blocks confirm the block (the block itself included). Times play no part. */
    record Confirmations(int n) implements FinalityPolicy {
        public Confirmations {
            if (n < 1) {
                throw new IllegalArgumentException("a confirmation policy needs n >= 1, got " + n);
            }
        }

        @Override
        public boolean isFinal(long blockNumber, Instant blockTime, ChainTip tip, Instant now) {
            return isFinal(blockNumber, tip);
        }

        @Override
        public boolean isFinal(long blockNumber, ChainTip tip) {
            return confirmations(blockNumber, tip.head()) >= n;
        }

        @Override
        public long finalizedHeight(ChainTip tip) {
            return Math.max(ChainTip.UNKNOWN, tip.head() - n + 1);
        }
    }

    /**
     * Final once the chain's {@code tag} ({@value #SAFE} or {@value #FINALIZED}) has reached the block and the block
     * is at least {@code minAge} old ({@code blockTime + minAge <= now}). A chain that does not report the tag
     * ({@link ChainTip#UNKNOWN}) finalizes nothing under this policy.
     */
    record Tag(String tag, Duration minAge) implements FinalityPolicy {

        public static final String SAFE = "safe";
        public static final String FINALIZED = "finalized";

        public Tag {
            Objects.requireNonNull(tag, "tag");
            tag = tag.trim().toLowerCase(Locale.ROOT);
            if (!tag.equals(SAFE) && !tag.equals(FINALIZED)) {
                throw new IllegalArgumentException("a tag policy reads '" + SAFE + "' or '" + FINALIZED + "', got '" + tag + "'");
            }
            Objects.requireNonNull(minAge, "minAge");
            if (minAge.isNegative()) {
                throw new IllegalArgumentException("minAge must be >= 0, got " + minAge);
            }
        }

        /** The {@code finalized} tag, no minimum age. */
        public static Tag finalized() {
            return new Tag(FINALIZED, Duration.ZERO);
        }

        /** The {@code safe} tag and a minimum age. */
        public static Tag safe(Duration minAge) {
            return new Tag(SAFE, minAge);
        }

        @Override
        public boolean isFinal(long blockNumber, Instant blockTime, ChainTip tip, Instant now) {
            Objects.requireNonNull(blockTime, "blockTime");
            Objects.requireNonNull(now, "now");
            return tagged(blockNumber, tip) && !now.isBefore(blockTime.plus(minAge));
        }

        /** Without times, only a policy without a minimum age can say yes. */
        @Override
        public boolean isFinal(long blockNumber, ChainTip tip) {
            return minAge.isZero() && tagged(blockNumber, tip);
        }

        @Override
        public long finalizedHeight(ChainTip tip) {
            return tagHeight(tip);
        }

        /** The height the chain reports for this tag, or {@link ChainTip#UNKNOWN}. */
        public long tagHeight(ChainTip tip) {
            return tag.equals(SAFE) ? tip.safe() : tip.finalized();
        }

        private boolean tagged(long blockNumber, ChainTip tip) {
            long height = tagHeight(tip);
            return height != ChainTip.UNKNOWN && blockNumber <= height;
        }
    }
}
