package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatusBoard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.relayer.api.ApiServer.Reply;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class TransferRoutesTest {

    private static final Fixtures.Stored DELIVERED = Fixtures.delivered(7);
    private static final Fixtures.Stored FAILED = Fixtures.failed(8);
    private static final Fixtures.Stored REORGED = Fixtures.reorged(9);
    /** Known, but (as right after a restore) without history rows. */
    private static final Fixtures.Stored NO_HISTORY = Fixtures.sent(10, 2);
    private static final String UNKNOWN = "0x" + "ab".repeat(32);

    private static InMemoryTransferQueries queries;
    private static ApiServer server;

    @BeforeAll
    static void start() {
        queries = new InMemoryTransferQueries()
                .put(DELIVERED.transfer(), DELIVERED.history())
                .put(FAILED.transfer(), FAILED.history())
                .put(REORGED.transfer(), REORGED.history())
                .put(NO_HISTORY.transfer(), List.of());
        server = new ApiServer(queries);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDeliveredTransferShowsEveryFieldAndEveryStageItReached() {
        Reply reply = server.get("/v1/transfers/" + DELIVERED.id());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/json");
        JsonNode t = reply.json();
        assertThat(t.get("messageId").asText()).isEqualTo(DELIVERED.id());
        assertThat(t.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(t.get("sourceChainId").asLong()).isEqualTo(1001);
        assertThat(t.get("destinationChainId").asLong()).isEqualTo(1002);
        assertThat(t.get("sourceGateway").asText()).isEqualTo(Fixtures.GATEWAY);
        assertThat(t.get("sender").asText()).isEqualTo(Fixtures.SENDER);
        assertThat(t.get("recipient").asText()).isEqualTo(Fixtures.RECIPIENT);
        assertThat(t.get("nonce").asLong()).isEqualTo(7);
        assertThat(t.get("payloadHash").asText()).isEqualTo(Numeric.toHexString(Hash.sha3(Fixtures.PAYLOAD)));
        assertThat(t.get("payloadSize").asInt()).isEqualTo(Fixtures.PAYLOAD.length);
        assertThat(t.has("amount")).as("no describer knows this payload").isFalse();
        assertThat(t.get("source").get("txHash").asText()).isEqualTo(Fixtures.SOURCE_TX);
        assertThat(t.get("source").get("blockNumber").asLong()).isEqualTo(120);
        assertThat(t.get("source").get("blockHash").asText()).isEqualTo(Fixtures.BLOCK_HASH);
        assertThat(t.get("source").get("logIndex").asInt()).isEqualTo(0);
        assertThat(t.get("confirmations").get("seen").asLong()).isEqualTo(12);
        assertThat(t.get("confirmations").get("required").asInt()).isEqualTo(12);
        assertThat(t.get("destinationTxHash").asText()).isEqualTo(Fixtures.BUMPED_TX);
        assertThat(t.has("failureReason")).isFalse();

        JsonNode stages = t.get("stages");
        assertThat(fieldNames(stages)).containsExactly(
                "sent", "finalized", "underpaid", "attested", "submitted", "delivered");
        assertThat(stages.get("sent").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(stages.get("finalized").asText()).as("last entered, after the top-up").isEqualTo("2025-03-01T10:00:40Z");
        assertThat(stages.get("underpaid").asText()).isEqualTo("2025-03-01T10:00:31Z");
        assertThat(stages.get("attested").asText()).isEqualTo("2025-03-01T10:00:41Z");
        assertThat(stages.get("submitted").asText()).as("the fee bump keeps the first time").isEqualTo("2025-03-01T10:00:42Z");
        assertThat(stages.get("delivered").asText()).isEqualTo("2025-03-01T10:01:15.123Z");
        assertThat(t.get("createdAt").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(t.get("updatedAt").asText()).isEqualTo("2025-03-01T10:01:15.123Z");

        assertThat(t.get("links").get("self").asText()).isEqualTo("/v1/transfers/" + DELIVERED.id());
        assertThat(t.get("links").get("history").asText()).isEqualTo("/v1/transfers/" + DELIVERED.id() + "/history");
        assertThat(t.get("links").get("events").asText()).isEqualTo("/v1/transfers/" + DELIVERED.id() + "/events");
        assertThat(fieldNames(t)).doesNotContainNull().allSatisfy(name -> assertThat(t.get(name).isNull()).isFalse());
    }

    @Test
    void aFailedTransferShowsItsReasonAndTheFailedStage() {
        JsonNode t = server.get("/v1/transfers/" + FAILED.id()).json();

        assertThat(t.get("status").asText()).isEqualTo("FAILED");
        assertThat(t.get("failureReason").asText()).isEqualTo("recipient reverted: paused");
        assertThat(t.get("destinationTxHash").asText()).isEqualTo(Fixtures.DEST_TX);
        assertThat(fieldNames(t.get("stages"))).containsExactly("sent", "finalized", "attested", "submitted", "failed");
        assertThat(t.get("stages").get("failed").asText()).isEqualTo("2025-03-01T10:00:50Z");
    }

    @Test
    void aReorgedTransferHasOnlyTheStagesItReached() {
        JsonNode t = server.get("/v1/transfers/" + REORGED.id()).json();

        assertThat(t.get("status").asText()).isEqualTo("REORGED");
        assertThat(fieldNames(t.get("stages"))).containsExactly("sent", "reorged");
        assertThat(t.has("destinationTxHash")).isFalse();
        assertThat(t.get("confirmations").get("seen").asLong()).isZero();
    }

    @Test
    void theMessageIdMayBeUpperCaseAndIsAnsweredInLowerCase() {
        String upper = "0X" + DELIVERED.id().substring(2).toUpperCase(Locale.ROOT);

        Reply reply = server.get("/v1/transfers/" + upper);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("messageId").asText()).isEqualTo(DELIVERED.id());
    }

    @Test
    void anUnknownTransferIsA404Problem() {
        Reply reply = server.get("/v1/transfers/" + UNKNOWN);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        JsonNode p = reply.json();
        assertThat(p.get("type").asText()).isEqualTo(Problem.TRANSFER_NOT_FOUND);
        assertThat(p.get("title").asText()).isEqualTo("Transfer not found");
        assertThat(p.get("status").asInt()).isEqualTo(404);
        assertThat(p.get("detail").asText()).contains(UNKNOWN);
        assertThat(p.get("instance").asText()).isEqualTo("/v1/transfers/" + UNKNOWN);
    }

    @Test
    void theHistoryListsEveryStatusChangeOldestFirst() {
        Reply reply = server.get("/v1/transfers/" + DELIVERED.id() + "/history");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("messageId").asText()).isEqualTo(DELIVERED.id());
        JsonNode history = body.get("history");
        assertThat(history).hasSize(DELIVERED.history().size());
        assertThat(history.get(0).has("from")).as("the observation has no previous status").isFalse();
        assertThat(history.get(0).get("to").asText()).isEqualTo("SENT");
        assertThat(history.get(0).get("at").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(history.get(0).get("cause").asText()).contains("observed in block 120");
        JsonNode bump = history.get(6);
        assertThat(bump.get("from").asText()).isEqualTo("SUBMITTED");
        assertThat(bump.get("to").asText()).isEqualTo("SUBMITTED");
        assertThat(bump.get("cause").asText()).contains(Fixtures.BUMPED_TX);
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.get("from").asText()).isEqualTo("SUBMITTED");
        assertThat(last.get("to").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void theHistoryOfAnUnknownTransferIsA404AndOfAKnownOneWithoutRowsIsEmpty() {
        Reply unknown = server.get("/v1/transfers/" + UNKNOWN + "/history");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).isEqualTo("application/problem+json");
        assertThat(unknown.json().get("type").asText()).isEqualTo(Problem.TRANSFER_NOT_FOUND);

        Reply empty = server.get("/v1/transfers/" + NO_HISTORY.id() + "/history");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("history")).isEmpty();
    }

    @Test
    void transfersOfASourceTransactionAreListedByLogIndex() {
        String upperTx = "0x" + Fixtures.SOURCE_TX.substring(2).toUpperCase(Locale.ROOT);

        Reply reply = server.get("/v1/transfers?sourceTx=" + upperTx + "&chain=1001");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/json");
        List<String> ids = new ArrayList<>();
        List<Integer> logIndexes = new ArrayList<>();
        reply.json().get("transfers").forEach(t -> {
            ids.add(t.get("messageId").asText());
            logIndexes.add(t.get("source").get("logIndex").asInt());
        });
        assertThat(ids).containsExactlyInAnyOrder(DELIVERED.id(), FAILED.id(), REORGED.id(), NO_HISTORY.id());
        assertThat(logIndexes).isSorted();
        assertThat(queries.sourceTxQueries).as("the store is asked with the normalised hash")
                .contains("1001:" + Fixtures.SOURCE_TX);
    }

    @Test
    void parametersMayComeInAnyOrder() {
        Reply reply = server.get("/v1/transfers?chain=1001&sourceTx=" + Fixtures.SOURCE_TX);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("transfers")).hasSize(4);
    }

    @Test
    void aTransactionWithNoTransfersIsAnEmptyListNotA404() {
        Reply reply = server.get("/v1/transfers?sourceTx=" + UNKNOWN + "&chain=1001");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("transfers")).isEmpty();
        assertThat(server.get("/v1/transfers?sourceTx=" + Fixtures.SOURCE_TX + "&chain=9007199254740992")
                .json().get("transfers")).as("2^53 is the largest chain id accepted").isEmpty();
    }

    @Test
    void aPayloadDescriberAddsTheAmountAsADecimalString() {
        BigInteger big = BigInteger.TWO.pow(200).add(BigInteger.ONE);
        PayloadDescriber tokenBridge = message -> Optional.of(big);
        try (ApiServer withAmounts = new ApiServer(queries, new ChainStatusBoard(),
                () -> CompletableFuture.completedFuture(new Readiness(Map.of())), tokenBridge, Duration.ofSeconds(1))) {
            JsonNode t = withAmounts.get("/v1/transfers/" + DELIVERED.id()).json();
            assertThat(t.get("amount").isTextual()).isTrue();
            assertThat(t.get("amount").asText()).isEqualTo(big.toString());
        }
    }

    @Test
    void aDescriberThatThrowsLeavesTheAmountOutInsteadOfFailingTheRequest() {
        PayloadDescriber broken = message -> {
            throw new IllegalStateException("cannot decode");
        };
        try (ApiServer withBroken = new ApiServer(queries, new ChainStatusBoard(),
                () -> CompletableFuture.completedFuture(new Readiness(Map.of())), broken, Duration.ofSeconds(1))) {
            Reply reply = withBroken.get("/v1/transfers/" + DELIVERED.id());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().has("amount")).isFalse();
        }
    }

    @Test
    void anAddressPagesThroughItsTransfersNewestFirstWithACursor() {
        Reply first = server.get("/v1/transfers?address=" + Fixtures.SENDER.toUpperCase().replace("0X", "0x") + "&limit=3");
        assertThat(first.status()).isEqualTo(200);
        JsonNode page = first.json();
        assertThat(page.get("transfers")).hasSize(3);
        assertThat(page.get("next").asText()).isNotEmpty();
        List<String> ids = new ArrayList<>();
        page.get("transfers").forEach(t -> ids.add(t.get("messageId").asText()));

        JsonNode second = server.get("/v1/transfers?address=" + Fixtures.SENDER + "&limit=3&cursor=" + page.get("next").asText()).json();
        second.get("transfers").forEach(t -> ids.add(t.get("messageId").asText()));
        assertThat(second.has("next")).as("the last page has no next").isFalse();
        assertThat(ids).containsExactlyInAnyOrder(DELIVERED.id(), FAILED.id(), REORGED.id(), NO_HISTORY.id());

        JsonNode delivered = server.get("/v1/transfers?address=" + Fixtures.RECIPIENT + "&status=delivered").json();
        assertThat(delivered.get("transfers")).hasSize(1);
        assertThat(delivered.get("transfers").get(0).get("messageId").asText()).isEqualTo(DELIVERED.id());
        assertThat(server.get("/v1/transfers?address=0x" + "99".repeat(20)).json().get("transfers")).isEmpty();
    }

    @Test
    void aBadAddressStatusOrCursorIsA400NamingTheParameter() {
        for (String[] bad : new String[][] {
                {"/v1/transfers?address=0x1234", "address"},
                {"/v1/transfers?address=" + Fixtures.SENDER + "&status=LOST", "status"},
                {"/v1/transfers?address=" + Fixtures.SENDER + "&cursor=page-2", "cursor"},
                {"/v1/transfers?address=" + Fixtures.SENDER + "&limit=101", "limit"},
                {"/v1/transfers?address=" + Fixtures.SENDER + "&chain=1", "chain"}}) {
            Reply reply = server.get(bad[0]);
            assertThat(reply.status()).as(bad[0]).isEqualTo(400);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            assertThat(reply.text()).as(bad[0]).contains(bad[1]);
        }
    }

    @Test
    void aStoreFailureIsA500ProblemWithACorrelationIdAndNoInternals() {
        InMemoryTransferQueries failing = new InMemoryTransferQueries();
        try (ApiServer broken = new ApiServer(failing)) {
            for (boolean synchronously : new boolean[] {false, true}) {
                failing.failWith(new IllegalStateException("Cassandra node 10.0.0.7 timed out (secret detail)"),
                        synchronously);
                for (String path : List.of("/v1/transfers/" + UNKNOWN, "/v1/transfers/" + UNKNOWN + "/history",
                        "/v1/transfers?sourceTx=" + UNKNOWN + "&chain=1")) {
                    Reply reply = broken.get(path);
                    assertThat(reply.status()).as(path).isEqualTo(500);
                    assertThat(reply.contentType()).isEqualTo("application/problem+json");
                    JsonNode p = reply.json();
                    assertThat(p.get("type").asText()).isEqualTo(Problem.INTERNAL_ERROR);
                    assertThat(p.get("status").asInt()).isEqualTo(500);
                    assertThat(p.get("correlationId").asText()).matches("[0-9a-f-]{36}");
                    assertThat(p.get("detail").asText()).contains(p.get("correlationId").asText());
                    assertThat(reply.text()).doesNotContain("secret", "10.0.0.7", "Exception", "at io.", "at org.");
                }
            }
        }
    }

    @Test
    void aReadTheStoreRefusedForWantOfBudgetIsA503WithRetryAfterNotA500() {
        InMemoryTransferQueries refusing = new InMemoryTransferQueries();
        try (ApiServer busy = new ApiServer(refusing)) {
            for (boolean synchronously : new boolean[] {false, true}) {
                refusing.failWith(new io.courier.finality.store.StoreOverloadedException(
                        "transfer " + UNKNOWN + ": find refused: the session has reached its maximum capacity", null),
                        synchronously);
                for (String path : List.of("/v1/transfers/" + UNKNOWN, "/v1/transfers/" + UNKNOWN + "/history",
                        "/v1/transfers/" + UNKNOWN + "/events", "/v1/transfers?sourceTx=" + UNKNOWN + "&chain=1",
                        "/v1/transfers?address=" + Fixtures.SENDER + "&status=FAILED")) {
                    Reply reply = busy.get(path);
                    assertThat(reply.status()).as(path).isEqualTo(503);
                    assertThat(reply.contentType()).as(path).isEqualTo("application/problem+json");
                    assertThat(reply.headers()).as(path).containsEntry("retry-after", "2");
                    JsonNode p = reply.json();
                    assertThat(p.get("type").asText()).isEqualTo(Problem.BUSY);
                    assertThat(p.get("status").asInt()).isEqualTo(503);
                    assertThat(p.get("instance").asText()).isEqualTo(path.replaceFirst("\\?.*", ""));
                    assertThat(reply.text()).doesNotContain("maximum capacity", "Exception");
                }
            }
        }
    }

    @Test
    void manyConcurrentRequestsAreAllAnswered() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String path = switch (i % 4) {
                case 0 -> "/v1/transfers/" + DELIVERED.id();
                case 1 -> "/v1/transfers/" + UNKNOWN;
                case 2 -> "/v1/transfers/" + FAILED.id() + "/history";
                default -> "/v1/transfers/not-an-id";
            };
            replies.add(client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < replies.size(); i++) {
            int expected = switch (i % 4) {
                case 0, 2 -> 200;
                case 1 -> 404;
                default -> 400;
            };
            assertThat(replies.get(i).get().statusCode()).as("request " + i).isEqualTo(expected);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
