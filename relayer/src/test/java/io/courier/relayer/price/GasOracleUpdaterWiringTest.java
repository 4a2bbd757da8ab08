package io.courier.relayer.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.oracle.PriceBook;
import io.courier.oracle.QuotePolicy;
import io.courier.oracle.onchain.UpdatePolicy;
import io.courier.relayer.telemetry.CourierMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** The updater's wiring: every quoted chain needs a name, which labels {@code destination} on its counters. */
class GasOracleUpdaterWiringTest {

    /** Eight chains: a Set.of iterates them in an order that changes between JVMs and is all but never sorted. */
    private static final Set<Long> CHAINS = Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    private static final Map<Long, String> NAMES = CHAINS.stream().collect(Collectors.toMap(id -> id, id -> "chain-" + id));
    private static final QuotePolicy QUOTES = new QuotePolicy(CHAINS, Map.of(1L, "ETH", 2L, "POL"),
            new QuotePolicy.RouteFees(BigDecimal.ZERO, 70_000), Map.of(), Duration.ofMinutes(1), 1_000_000);

    private static GasOracleUpdater.Wiring wiring(Map<Long, String> names) {
        return new GasOracleUpdater.Wiring(List.of(), names, Credentials.create("0x" + "11".repeat(32)), QUOTES, () -> PriceBook.EMPTY,
                new UpdatePolicy(new BigDecimal("0.05"), Duration.ofHours(1)), Duration.ofSeconds(30), Duration.ofMinutes(1), 500_000,
                new CourierMetrics(new PrometheusRegistry()), Clock.systemUTC());
    }

    @Test
    void aQuotedChainWithoutANameIsRefusedAtStartNamingIt() {
        Map<Long, String> withoutThree = new java.util.HashMap<>(NAMES);
        withoutThree.remove(3L);
        assertThatThrownBy(() -> wiring(withoutThree))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quoted chain 3 has no name");
    }

    @Test
    void aSourcesDestinationsAreTheOtherQuotedChainsInIdOrder() {
        GasOracleUpdater.Wiring w = wiring(NAMES);
        assertThat(w.destinations(2)).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(w.destinations(8)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }
}
