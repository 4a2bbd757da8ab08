package io.courier.chain.quorum;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * How high a chain is, from its endpoints' answers: the highest block that at least {@code max(quorum, majority)}
 * of the configured endpoints have reached. Never the maximum of several (an endpoint far ahead of the others is the
 * suspect, not the others); with one endpoint, its answer.
 */
public final class QuorumHead {

    private QuorumHead() {}

    /** How many endpoints must have reached a height for it to count, of {@code endpoints} configured. */
    public static int needed(int quorum, int endpoints) {
        if (endpoints < 1 || quorum < 1 || quorum > endpoints) {
            throw new IllegalArgumentException("quorum " + quorum + " of " + endpoints + " endpoints");
        }
        return Math.max(quorum, endpoints / 2 + 1);
    }

    /**
     * @param answers one entry per endpoint that answered (its height); endpoints that failed are left out
     * @return empty when fewer endpoints answered than {@link #needed}
     */
    public static OptionalLong of(List<Long> answers, int quorum, int endpoints) {
        int k = needed(quorum, endpoints);
        if (answers.size() < k) {
            return OptionalLong.empty();
        }
        List<Long> sorted = answers.stream().sorted(Comparator.reverseOrder()).toList();
        return OptionalLong.of(sorted.get(k - 1));
    }
}
