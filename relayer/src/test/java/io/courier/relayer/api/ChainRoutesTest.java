package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusBoard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.relayer.api.ApiServer.Reply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChainRoutesTest {

    @Test
    void listsEveryChainByIdWithUnknownFiguresLeftOut() {
        ChainStatusBoard board = new ChainStatusBoard();
        board.update(new ChainStatus(1002, "beta", 500L, 480L, 470L, 20L, 3L, true, true, "reorg of depth 40"));
        board.update(new ChainStatus(1001, "alpha", 100L, 100L, 88L, 0L, 1L, true, false, null));
        board.update(ChainStatus.starting(1003, "gamma"));
        try (ApiServer server = new ApiServer(new InMemoryTransferQueries(), board,
                () -> CompletableFuture.completedFuture(new Readiness(Map.of())), PayloadDescriber.NONE,
                Duration.ofSeconds(1))) {
            Reply reply = server.get("/v1/chains");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo("application/json");
            JsonNode chains = reply.json().get("chains");
            assertThat(chains).extracting(c -> c.get("chainId").asLong()).containsExactly(1001L, 1002L, 1003L);
            JsonNode alpha = chains.get(0);
            assertThat(alpha.get("name").asText()).isEqualTo("alpha");
            assertThat(alpha.get("headBlock").asLong()).isEqualTo(100);
            assertThat(alpha.get("lastScannedBlock").asLong()).isEqualTo(100);
            assertThat(alpha.get("finalizedHeight").asLong()).isEqualTo(88);
            assertThat(alpha.get("lagBlocks").asLong()).isZero();
            assertThat(alpha.get("headAgeSeconds").asLong()).isEqualTo(1);
            assertThat(alpha.get("healthy").asBoolean()).isTrue();
            assertThat(alpha.get("halted").asBoolean()).isFalse();
            assertThat(alpha.has("haltReason")).isFalse();
            assertThat(chains.get(1).get("haltReason").asText()).isEqualTo("reorg of depth 40");
            JsonNode gamma = chains.get(2);
            assertThat(gamma.has("headBlock")).isFalse();
            assertThat(gamma.get("healthy").asBoolean()).isFalse();
        }
    }

    @Test
    void noChainsIsAnEmptyList() {
        try (ApiServer server = new ApiServer(new InMemoryTransferQueries())) {
            assertThat(server.get("/v1/chains").text()).isEqualTo("{\"chains\":[]}");
        }
    }
}
