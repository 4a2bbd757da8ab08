package io.courier.relayer.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Caps the server-sent-event streams a node holds open, in total and per client address, so that readers cannot
 * tie up the node's connections and polling on which relaying also depends. A stream takes a permit when it
 * opens and gives it back when it ends, however it ends.
 */
final class EventStreamPermits {

    /** A held permit: {@link #release()} gives it back (at most once). */
    interface Permit {
        void release();
    }

    private final int maxTotal;
    private final int maxPerClient;
    private final Map<String, Integer> perClient = new HashMap<>();
    private int total;

    EventStreamPermits(int maxTotal, int maxPerClient) {
        if (maxTotal < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("event stream caps must be >= 1, got total " + maxTotal
                    + ", per client " + maxPerClient);
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** A permit for one more stream of {@code client}, or empty when the node or that client is at its cap. */
    synchronized Optional<Permit> acquire(String client) {
        int mine = perClient.getOrDefault(client, 0);
        if (total >= maxTotal || mine >= maxPerClient) {
            return Optional.empty();
        }
        total++;
        perClient.put(client, mine + 1);
        return Optional.of(new Permit() {
            private boolean released;

            @Override
            public void release() {
                synchronized (EventStreamPermits.this) {
                    if (released) {
                        return;
                    }
                    released = true;
                    total--;
                    perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
                }
            }
        });
    }

    synchronized int open() {
        return total;
    }

    synchronized int open(String client) {
        return perClient.getOrDefault(client, 0);
    }

    int maxTotal() {
        return maxTotal;
    }

    int maxPerClient() {
        return maxPerClient;
    }
}
