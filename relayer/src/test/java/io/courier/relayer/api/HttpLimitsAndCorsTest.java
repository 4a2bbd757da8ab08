package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.MessageId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * {@code courier.api.cors} and {@code courier.api.limits} as {@link StatusApi.HttpSettings}: CORS headers only for
 * configured origins and never on admin routes, a too large entity refused with 413, a request that is not answered
 * in time ends as a 503 problem.
 */
class HttpLimitsAndCorsTest {

    private static final String TOKEN = "s3cret-admin-token-0123";
    private static final String APP = "https://app.example";

    /** Admin actions that answer at once (NotFound), or never when {@code hang}. */
    private static TransferAdmin admin(boolean hang) {
        return new TransferAdmin() {
            private CompletionStage<Outcome> answer(MessageId id) {
                return hang ? new CompletableFuture<>() : CompletableFuture.completedFuture(new NotFound(id));
            }

            @Override
            public CompletionStage<Outcome> retry(MessageId id, String by, String reason) {
                return answer(id);
            }

            @Override
            public CompletionStage<Outcome> park(MessageId id, String by, String reason) {
                return answer(id);
            }

            @Override
            public CompletionStage<Outcome> unpark(MessageId id, String by, String reason) {
                return answer(id);
            }
        };
    }

    private static ApiServer server(StatusApi.HttpSettings http, boolean hang) {
        return new ApiServer(api -> api.withHttpSettings(http)
                .withAdmin(chain -> CompletableFuture.completedFuture(false), admin(hang), Optional.of(TOKEN)));
    }

    private static final String PARK = "/v1/admin/transfers/0x" + "ab".repeat(32) + "/park";

    @Test
    void corsIsOffByDefault() {
        try (ApiServer server = server(StatusApi.HttpSettings.DEFAULT, false)) {
            ApiServer.Reply get = server.get("/healthz", Map.of("Origin", APP));
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.headers()).doesNotContainKey("access-control-allow-origin");
            ApiServer.Reply preflight = server.send("OPTIONS", "/v1/chains", Map.of("Origin", APP,
                    "Access-Control-Request-Method", "GET"));
            assertThat(preflight.headers()).doesNotContainKey("access-control-allow-origin");
        }
    }

    @Test
    void configuredOriginsMayReadButNeverDriveTheAdminRoutes() {
        StatusApi.HttpSettings http = new StatusApi.HttpSettings(List.of(APP), 64 * 1024, Duration.ofSeconds(20));
        try (ApiServer server = server(http, false)) {
            ApiServer.Reply get = server.get("/v1/chains", Map.of("Origin", APP));
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.headers()).containsEntry("access-control-allow-origin", APP).containsEntry("vary", "Origin");
            // problems too: a page can read why
            ApiServer.Reply notFound = server.get("/v1/transfers/0x" + "cd".repeat(32), Map.of("Origin", APP));
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.headers()).containsEntry("access-control-allow-origin", APP);

            ApiServer.Reply preflight = server.send("OPTIONS", "/v1/chains", Map.of("Origin", APP,
                    "Access-Control-Request-Method", "GET"));
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.headers()).containsEntry("access-control-allow-origin", APP)
                    .containsEntry("access-control-allow-methods", "GET, HEAD");

            assertThat(server.get("/v1/chains", Map.of("Origin", "https://evil.example")).headers())
                    .doesNotContainKey("access-control-allow-origin");
            ApiServer.Reply adminPreflight = server.send("OPTIONS", PARK, Map.of("Origin", APP,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization"));
            assertThat(adminPreflight.headers()).doesNotContainKey("access-control-allow-origin");
            ApiServer.Reply adminPost = server.send("POST", PARK, Map.of("Origin", APP, "Authorization", "Bearer " + TOKEN),
                    "{\"reason\": \"x\"}");
            assertThat(adminPost.headers()).doesNotContainKey("access-control-allow-origin");
        }
        StatusApi.HttpSettings any = new StatusApi.HttpSettings(List.of("*"), 64 * 1024, Duration.ofSeconds(20));
        try (ApiServer server = server(any, false)) {
            assertThat(server.get("/healthz", Map.of("Origin", "http://localhost:3000")).headers())
                    .containsEntry("access-control-allow-origin", "*");
        }
    }

    @Test
    void anEntityOverTheLimitIs413AndOneUnderItIsRead() {
        StatusApi.HttpSettings http = new StatusApi.HttpSettings(List.of(), 2048, Duration.ofSeconds(20));
        try (ApiServer server = server(http, false)) {
            Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");
            ApiServer.Reply big = server.send("POST", PARK, auth, "{\"reason\": \"" + "x".repeat(4096) + "\"}");
            assertThat(big.status()).as(big.text()).isEqualTo(413);
            assertThat(big.contentType()).startsWith("application/problem+json");
            ApiServer.Reply small = server.send("POST", PARK, auth, "{\"reason\": \"" + "x".repeat(400) + "\"}");
            assertThat(small.status()).as("read, and answered: the id is unknown").isEqualTo(404);
        }
    }

    @Test
    void aRequestNotAnsweredInTimeEndsAsA503Problem() {
        StatusApi.HttpSettings http = new StatusApi.HttpSettings(List.of(), 64 * 1024, Duration.ofMillis(300));
        try (ApiServer server = server(http, true)) {
            ApiServer.Reply r = server.send("POST", PARK, Map.of("Authorization", "Bearer " + TOKEN,
                    "Content-Type", "application/json"), "{\"reason\": \"x\"}");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("type").asText()).isEqualTo(Problem.TIMEOUT);
        }
    }
}
