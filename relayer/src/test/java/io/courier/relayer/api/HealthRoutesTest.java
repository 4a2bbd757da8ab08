package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusBoard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.relayer.api.ApiServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HealthRoutesTest {

    private static ApiServer serverWith(ReadinessProbe probe, Duration timeout) {
        return new ApiServer(new InMemoryTransferQueries(), new ChainStatusBoard(), probe, PayloadDescriber.NONE,
                timeout);
    }

    private static ReadinessProbe fixed(Map<String, Readiness.Check> checks) {
        return () -> CompletableFuture.supplyAsync(() -> new Readiness(checks));
    }

    @Test
    void healthzIsOkWhileTheProcessRunsEvenWhenNotReady() {
        try (ApiServer server = serverWith(fixed(Map.of("cassandra", Readiness.Check.error("down"))),
                Duration.ofSeconds(1))) {
            Reply reply = server.get("/healthz");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo("application/json");
            assertThat(reply.text()).isEqualTo("{\"status\":\"ok\"}");
        }
    }

    @Test
    void readyzIs200WhenEveryDependencyIsOk() {
        try (ApiServer server = serverWith(fixed(Map.of("cassandra", Readiness.Check.OK,
                "chain:1001", Readiness.Check.OK)), Duration.ofSeconds(1))) {
            Reply reply = server.get("/readyz");

            assertThat(reply.status()).isEqualTo(200);
            JsonNode body = reply.json();
            assertThat(body.get("status").asText()).isEqualTo("ready");
            assertThat(body.get("dependencies").get("cassandra").get("status").asText()).isEqualTo("ok");
            assertThat(body.get("dependencies").get("chain:1001").get("status").asText()).isEqualTo("ok");
            assertThat(body.get("dependencies").get("cassandra").has("error")).isFalse();
        }
    }

    @Test
    void readyzIs503ProblemNamingWhatIsNotReady() {
        try (ApiServer server = serverWith(fixed(Map.of(
                "cassandra", Readiness.Check.error("no host available"),
                "chain:1001", Readiness.Check.OK,
                "chain:1002", Readiness.Check.error("halted: reorg of depth 40"))), Duration.ofSeconds(1))) {
            Reply reply = server.get("/readyz");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            JsonNode p = reply.json();
            assertThat(p.get("type").asText()).isEqualTo(Problem.NOT_READY);
            assertThat(p.get("status").asInt()).isEqualTo(503);
            assertThat(p.get("instance").asText()).isEqualTo("/readyz");
            assertThat(p.get("detail").asText()).isEqualTo("not ready: cassandra, chain:1002");
            assertThat(p.get("notReady")).extracting(JsonNode::asText).containsExactly("cassandra", "chain:1002");
            assertThat(p.get("dependencies").get("cassandra").get("error").asText()).isEqualTo("no host available");
            assertThat(p.get("dependencies").get("chain:1001").get("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aProbeThatFailsThrowsOrHangsMakesTheNodeNotReadyNeverA500() {
        ReadinessProbe failing = () -> CompletableFuture.failedFuture(new IllegalStateException("driver closed"));
        ReadinessProbe throwing = () -> {
            throw new IllegalStateException("bug");
        };
        ReadinessProbe hanging = CompletableFuture::new;
        for (ReadinessProbe probe : List.of(failing, throwing, hanging)) {
            try (ApiServer server = serverWith(probe, Duration.ofMillis(300))) {
                Reply reply = server.get("/readyz");

                assertThat(reply.status()).isEqualTo(503);
                assertThat(reply.contentType()).isEqualTo("application/problem+json");
                assertThat(reply.json().get("type").asText()).isEqualTo(Problem.NOT_READY);
                assertThat(reply.text()).doesNotContain("driver closed", "bug", "Exception:");
            }
        }
    }

    @Test
    void theChainProbeFollowsTheChainStatusBoard() {
        ChainStatusBoard board = new ChainStatusBoard();
        board.update(new ChainStatus(1001, "alpha", 100L, 99L, 88L, 1L, 2L, true, false, null));
        board.update(ChainStatus.starting(1002, "beta"));
        ReadinessProbe probe = ReadinessProbe.all(List.of(fixed(Map.of("cassandra", Readiness.Check.OK)),
                ReadinessProbe.chains(board)));
        try (ApiServer server = serverWith(probe, Duration.ofSeconds(1))) {
            Reply notYet = server.get("/readyz");
            assertThat(notYet.status()).isEqualTo(503);
            assertThat(notYet.json().get("notReady")).extracting(JsonNode::asText).containsExactly("chain:1002");

            board.update(new ChainStatus(1002, "beta", 50L, 50L, 40L, 0L, 1L, true, false, null));
            Reply ready = server.get("/readyz");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().get("dependencies")).hasSize(3);

            board.update(new ChainStatus(1001, "alpha", 100L, 99L, 88L, 1L, 2L, true, true, "reorg of depth 40"));
            Reply halted = server.get("/readyz");
            assertThat(halted.status()).isEqualTo(503);
            assertThat(halted.json().get("dependencies").get("chain:1001").get("error").asText())
                    .isEqualTo("halted: reorg of depth 40");
        }
    }
}
