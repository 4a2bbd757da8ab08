package io.courier.chain;

/** Blocks {@code from} to {@code to}, both included. */
public record BlockRange(long from, long to) {
    public BlockRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("need 0 <= from <= to, was " + from + ".." + to);
        }
    }

    public long size() {
        return to - from + 1;
    }

    @Override
    public String toString() {
        return from + ".." + to;
    }
}
