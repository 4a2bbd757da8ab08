package io.courier.finality;

/**
 * When a source block counts as final for a chain. A sealed interface so every policy is known here and
 * handled exhaustively; today only {@link Confirmations}. A later {@code Tag("safe" | "finalized", minAge)}
 * fits the same shape: it reads {@link ChainTip#safe()} / {@link ChainTip#finalized()} instead of the head,
 * which is why {@link #isFinal(long, ChainTip)} takes a tip and not only a head number.
 */
public sealed interface FinalityPolicy permits FinalityPolicy.Confirmations {

    /** Whether {@code blockNumber} is final given what the chain reports in {@code tip}. */
    boolean isFinal(long blockNumber, ChainTip tip);

    /** Shorthand for chains and policies where only the head matters. */
    default boolean isFinal(long blockNumber, long head) {
        return isFinal(blockNumber, ChainTip.ofHead(head));
    }

    /**
     * How many blocks confirm {@code blockNumber} at {@code head}, counting the block itself (the usual
     * convention: a block at the head has one confirmation); 0 when the head is below the block (a head that
     * went backwards in a reorg).
     */
    default long confirmations(long blockNumber, long head) {
        return head >= blockNumber ? head - blockNumber + 1 : 0;
    }

    /** Final once {@code n} blocks confirm the block (the block itself included). */
    record Confirmations(int n) implements FinalityPolicy {
        public Confirmations {
            if (n < 1) {
                throw new IllegalArgumentException("a confirmation policy needs n >= 1, got " + n);
            }
        }

        @Override
        public boolean isFinal(long blockNumber, ChainTip tip) {
            return confirmations(blockNumber, tip.head()) >= n;
        }
    }
}
