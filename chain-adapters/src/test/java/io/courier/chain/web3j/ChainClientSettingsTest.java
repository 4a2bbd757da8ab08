package io.courier.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainClientSettingsTest {

    @Test
    void theEightArgumentConstructorStillMeansOneEndpointAndDefaultPoolRules() {
        ChainClientSettings settings = new ChainClientSettings("alpha", 1001, "http://127.0.0.1:8545/key",
                Duration.ofSeconds(3), 4, 10, Backoff.defaults(), null);
        assertThat(settings.rpcUrls()).containsExactly("http://127.0.0.1:8545/key");
        assertThat(settings.endpointPool()).isEqualTo(EndpointPoolSettings.defaults());
        assertThat(settings.endpointLabels()).containsExactly("http://127.0.0.1:8545");
        assertThat(settings.withTimeout(Duration.ofSeconds(1)).rpcUrls()).isEqualTo(settings.rpcUrls());
    }

    @Test
    void severalEndpointsKeepTheirOrderAndTheFirstIsRpcUrl() {
        ChainClientSettings settings = ChainClientSettings.of("alpha", 1001, "http://one:1/a")
                .withEndpoints(List.of("http://two:2/b", "https://three/c"))
                .withEndpointPool(EndpointPoolSettings.defaults().withRequestsPerSecond(25).withMaxHeadLag(3));
        assertThat(settings.rpcUrl()).isEqualTo("http://two:2/b");
        assertThat(settings.rpcUrls()).containsExactly("http://two:2/b", "https://three/c");
        assertThat(settings.withLimits(2, 2).withBackoff(Backoff.none()).withObserver(null).rpcUrls()).hasSize(2);
        assertThat(settings.withLimits(2, 2).endpointPool().requestsPerSecond()).isEqualTo(25.0);
        assertThat(settings.toString()).contains("http://two:2 https://three").doesNotContain("/b").doesNotContain("/c");
    }

    @Test
    void badEndpointListsAreRefusedWithoutPrintingKeys() {
        assertThatThrownBy(() -> new ChainClientSettings("alpha", 1001, "http://one/KEY", Duration.ofSeconds(1), 1, 0,
                Backoff.none(), null, List.of("http://two/KEY", "http://one/KEY"), null))
                .hasMessageContaining("rpcUrl must be the first of rpcUrls").hasMessageNotContaining("KEY");
        assertThatThrownBy(() -> ChainClientSettings.of("alpha", 1001, List.of("http://one/KEY", "http://one/KEY")))
                .hasMessageContaining("twice").hasMessageNotContaining("KEY");
        assertThatThrownBy(() -> ChainClientSettings.of("alpha", 1001, List.of("http://one/KEY", "ws://two/KEY")))
                .hasMessageContaining("must be http(s)").hasMessageNotContaining("KEY");
        assertThatThrownBy(() -> ChainClientSettings.of("alpha", 1001, List.of()))
                .hasMessageContaining("at least one");
    }

    @Test
    void poolSettingsAreValidated() {
        EndpointPoolSettings d = EndpointPoolSettings.defaults();
        assertThatThrownBy(() -> d.withCooldown(Duration.ofSeconds(5), Duration.ofSeconds(1), 3))
                .hasMessageContaining("cooldownInitial <= cooldownMax");
        assertThatThrownBy(() -> d.withCooldown(Duration.ofSeconds(1), Duration.ofSeconds(5), 0))
                .hasMessageContaining("failuresToCooldown");
        assertThatThrownBy(() -> d.withRequestsPerSecond(-1)).hasMessageContaining("requestsPerSecond");
        assertThatThrownBy(() -> d.withRequestsPerSecond(Double.NaN)).hasMessageContaining("requestsPerSecond");
        assertThatThrownBy(() -> d.withMaxHeadLag(-1)).hasMessageContaining("maxHeadLag");
        assertThatThrownBy(() -> d.withMaxWait(Duration.ofMillis(-1))).hasMessageContaining("maxWait");
        assertThat(d.rateLimited()).isFalse();
    }
}
