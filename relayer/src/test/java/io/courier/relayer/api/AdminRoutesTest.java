package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.relayer.status.ChainStatusBoard;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/admin/chains/{id}/resume}: the bearer token decides, whatever the case of the scheme name. */
class AdminRoutesTest {

    private static final String TOKEN = "s3cret-admin-token-0123";
    private static final ActorTestKit kit = ActorTestKit.create();
    private static final CopyOnWriteArrayList<Long> resumed = new CopyOnWriteArrayList<>();
    private static ServerBinding binding;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        StatusApi api = new StatusApi(new InMemoryTransferQueries(), new ChainStatusBoard(),
                () -> CompletableFuture.completedFuture(new Readiness(Map.of())), new PrometheusRegistry())
                .withAdmin(chainId -> {
                    if (chainId != 1001) {
                        return CompletableFuture.completedFuture(false);
                    }
                    resumed.add(chainId);
                    return CompletableFuture.completedFuture(true);
                }, Optional.of(TOKEN));
        binding = api.bind(kit.system(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void theSchemeNameIsCaseInsensitiveTheTokenIsNot() throws Exception {
        assertThat(post(1001, "Bearer " + TOKEN)).isEqualTo(200);
        assertThat(post(1001, "bearer " + TOKEN)).isEqualTo(200);
        assertThat(post(1001, "BEARER " + TOKEN)).isEqualTo(200);
        assertThat(resumed).hasSize(3);
        assertThat(post(1001, "Bearer " + TOKEN.toUpperCase())).isEqualTo(401);
        assertThat(post(1001, "Basic " + TOKEN)).isEqualTo(401);
        assertThat(post(1001, null)).isEqualTo(401);
        assertThat(post(1001, "Bearer")).isEqualTo(401);
        assertThat(resumed).hasSize(3);
        assertThat(post(9999, "Bearer " + TOKEN)).isEqualTo(404);
    }

    private int post(long chainId, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort()
                        + "/v1/admin/chains/" + chainId + "/resume"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
