package io.courier.chain.quorum;

import io.courier.chain.quorum.Testimony.Verdict;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The endpoints' testimonies about one message and the verdict: confirmed when at least {@code quorum} vouch.
 * Dissent does not veto (a single lying endpoint could otherwise stop every message); it is reported.
 */
public record Corroboration(List<Testimony> testimonies, int quorum) {

    public Corroboration {
        testimonies = List.copyOf(testimonies);
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1, was " + quorum);
        }
    }

    public long vouching() {
        return count(Verdict.VOUCHES);
    }

    public boolean confirmed() {
        return vouching() >= quorum;
    }

    /** Endpoints that answered and contradicted the record: a lie, a fork, or a node behind. */
    public List<Testimony> dissent() {
        return testimonies.stream().filter(t -> t.verdict() == Verdict.DENIES).toList();
    }

    public boolean disputed() {
        return !dissent().isEmpty();
    }

    /** One line for logs and the status page: "1 of 2 needed vouch; a:1 denies (no receipt); b:2 unavailable (...)". */
    public String summary() {
        return vouching() + " of " + quorum + " needed vouch; "
                + testimonies.stream().map(Testimony::toString).collect(Collectors.joining("; "));
    }

    private long count(Verdict verdict) {
        return testimonies.stream().filter(t -> t.verdict() == verdict).count();
    }
}
