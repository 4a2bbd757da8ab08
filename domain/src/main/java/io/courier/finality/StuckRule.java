package io.courier.finality;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * When an open transfer counts as stuck: "stuck" is not a state (docs/ARCHITECTURE.md §1) but a non-terminal transfer older than
 * its route's SLA. Routes are {@code "src->dst"} as {@link Transfer#route()} names them. Pure.
 */
public record StuckRule(Map<String, Duration> slaByRoute, Duration defaultSla) {

    /** Age buckets of open transfers, for gauges whose label set must stay small and fixed. */
    public enum AgeBucket {
        UNDER_1H("lt_1h"), H1_TO_6H("1h_6h"), H6_TO_24H("6h_24h"), D1_TO_7D("1d_7d"), OVER_7D("gt_7d");

        private final String label;

        AgeBucket(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static AgeBucket of(Duration age) {
            if (age.compareTo(Duration.ofHours(1)) < 0) return UNDER_1H;
            if (age.compareTo(Duration.ofHours(6)) < 0) return H1_TO_6H;
            if (age.compareTo(Duration.ofDays(1)) < 0) return H6_TO_24H;
            if (age.compareTo(Duration.ofDays(7)) < 0) return D1_TO_7D;
            return OVER_7D;
        }
    }

    public StuckRule {
        slaByRoute = Map.copyOf(slaByRoute);
        Objects.requireNonNull(defaultSla, "defaultSla");
        if (defaultSla.isNegative() || defaultSla.isZero()) {
            throw new IllegalArgumentException("default SLA must be positive, was " + defaultSla);
        }
    }

    public Duration sla(String route) {
        return slaByRoute.getOrDefault(route, defaultSla);
    }

    public Duration age(Transfer t, Instant now) {
        Duration age = Duration.between(t.createdAt(), now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /**
     * Non-terminal and older than its route's SLA. FAILED counts: it waits for an operator. UNDERPAID does not: it waits
     * for its own user's top-up, nothing Courier or an operator can do moves it.
     */
    public boolean isStuck(Transfer t, Instant now) {
        return !t.status().isTerminal() && t.status() != TransferStatus.UNDERPAID && age(t, now).compareTo(sla(t.route())) > 0;
    }
}
