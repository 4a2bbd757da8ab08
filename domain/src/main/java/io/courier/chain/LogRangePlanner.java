package io.courier.chain;

import java.util.Optional;

/**
 * Chooses how many blocks the next {@code eth_getLogs} asks for. Providers cap log queries by block span or by
 * result count, and the cap is not known in advance: halve the range when the node says it is too large, double
 * it again after each success, never below 1 nor above {@code maxSize}. A value: every step returns a new planner.
 *
 * @param size the current range size
 */
public record LogRangePlanner(long maxSize, long size) {

    public LogRangePlanner {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
        }
        if (size < 1 || size > maxSize) {
            throw new IllegalArgumentException("size must be within 1.." + maxSize + ", was " + size);
        }
    }

    /** Starts at the largest range. */
    public static LogRangePlanner startingAt(long maxSize) {
        return new LogRangePlanner(maxSize, maxSize);
    }

    /**
     * The range to scan next: from {@code cursor} (the first block not yet scanned) up to {@code size} blocks,
     * not past {@code head}. Empty when {@code cursor > head}: nothing to scan yet.
     */
    public Optional<BlockRange> next(long cursor, long head) {
        if (cursor < 0) {
            throw new IllegalArgumentException("cursor must be >= 0, was " + cursor);
        }
        if (cursor > head) {
            return Optional.empty();
        }
        long to = head - cursor < size ? head : cursor + size - 1; // written so that it cannot overflow
        return Optional.of(new BlockRange(cursor, to));
    }

    /** After a successful query: twice the size, up to the maximum. */
    public LogRangePlanner afterSuccess() {
        return new LogRangePlanner(maxSize, size > maxSize / 2 ? maxSize : size * 2);
    }

    /**
     * After a "range too large" answer for {@code failed}: half of that range (which may be smaller than the
     * current size near the head), at least 1.
     */
    public LogRangePlanner afterTooLarge(BlockRange failed) {
        return new LogRangePlanner(maxSize, Math.max(1, Math.min(size, failed.size()) / 2));
    }

    /** Whether halving can still help after {@code failed} was too large: a single block is a dead end. */
    public static boolean canShrink(BlockRange failed) {
        return failed.size() > 1;
    }
}
