package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.chain.message.TxHash;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/admin/transfers/{id}/retry|park|unpark} over a real {@link StoreTransferAdmin} and an in-memory store
 * with history: who and why end up in the history, a park returns to where it came from, and every refusal is a
 * problem naming the status and what is allowed.
 */
class TransferAdminRoutesTest {

    private static final String TOKEN = "s3cret-admin-token-0123";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json");

    private final HistoryTransferStore store = new HistoryTransferStore();
    private final io.courier.relayer.watch.InMemoryGasPayments payments = new io.courier.relayer.watch.InMemoryGasPayments();
    private final Clock clock = Clock.fixed(Fixtures.T0.plusSeconds(3600), ZoneOffset.UTC);
    private ApiServer server = server(Optional.of(TOKEN));

    private ApiServer server(Optional<String> token) {
        return new ApiServer(api -> api.withAdmin(chain -> CompletableFuture.completedFuture(false),
                new StoreTransferAdmin(store, Optional.of(payments), clock), token));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Fixtures.Stored attested(long nonce) {
        return Fixtures.sent(nonce, 0)
                .then(new TransferEvent.Finalized(12), Fixtures.T0.plusSeconds(30))
                .then(new TransferEvent.Attested(3), Fixtures.T0.plusSeconds(31));
    }

    static Fixtures.Stored submitted(long nonce) {
        return attested(nonce).then(new TransferEvent.Submitted(TxHash.fromHex(Fixtures.DEST_TX), 7), Fixtures.T0.plusSeconds(32));
    }

    static Fixtures.Stored undeliverable(long nonce) {
        return attested(nonce).then(new TransferEvent.Undeliverable(DeliveryObstacle.OVER_GAS_CAP, "needs 2000000 gas"),
                Fixtures.T0.plusSeconds(32));
    }

    private ApiServer.Reply post(String id, String action, String body) {
        return server.send("POST", "/v1/admin/transfers/" + id + "/" + action, AUTH, body);
    }

    private static String reason(String text) {
        return "{\"reason\": \"" + text + "\"}";
    }

    private TransferHistoryEntry lastHistoryRow(Fixtures.Stored s) {
        var history = store.get(s.transfer().id()).history();
        return history.get(history.size() - 1);
    }

    private TransferStatus statusOf(Fixtures.Stored s) {
        return store.get(s.transfer().id()).transfer().status();
    }

    static Fixtures.Stored underpaidThenParked(long nonce) {
        return Fixtures.sent(nonce, 0)
                .then(new TransferEvent.Underpaid(java.math.BigInteger.ONE, java.math.BigInteger.TEN), Fixtures.T0.plusSeconds(30))
                .then(new TransferEvent.Parked("admin", "looking into it"), Fixtures.T0.plusSeconds(40));
    }

    /** A charge of 10 wei (threshold 10) and what was counted for {@code t} on its source chain. */
    private void paid(Fixtures.Stored t, long... amounts) {
        var id = t.transfer().id();
        payments.charges.put(id, new io.courier.payment.Charge(io.courier.payment.PaymentMode.REQUIRED, java.math.BigInteger.TEN,
                java.math.BigInteger.TEN, 100_000, Fixtures.T0.plusSeconds(30)));
        for (int i = 0; i < amounts.length; i++) {
            payments.confirm(new io.courier.payment.GasPayment(id, 1001, TxHash.fromHex("0x" + "e%d".formatted(i).repeat(32)), i, 130 + i,
                    io.courier.chain.message.BlockHash.fromHex(Fixtures.BLOCK_HASH), java.math.BigInteger.valueOf(amounts[i])));
        }
    }

    @Test
    void anUnparkBackToUnderpaidReleasesATransferWhoseTopUpWasCountedWhileItWasParked() {
        // the watcher judges a top-up only for an UNDERPAID transfer: one counted while it was PARKED moved nothing
        Fixtures.Stored t = underpaidThenParked(1);
        store.put(t);
        paid(t, 1, 9);

        ApiServer.Reply unparked = post(t.id(), "unpark", reason("user topped up"));
        assertThat(unparked.status()).as(new String(unparked.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(statusOf(t)).isEqualTo(TransferStatus.FINALIZED);
        assertThat(lastHistoryRow(t).from()).isEqualTo(TransferStatus.UNDERPAID);
    }

    @Test
    void anUnparkBackToUnderpaidStaysUnderpaidWhileThePaymentsFallShort() {
        Fixtures.Stored t = underpaidThenParked(2);
        store.put(t);
        paid(t, 1, 8);

        assertThat(post(t.id(), "unpark", reason("user says they paid")).status()).isEqualTo(200);
        assertThat(statusOf(t)).isEqualTo(TransferStatus.UNDERPAID);
    }

    @Test
    void parkAndUnparkAreRecordedWithWhoAndWhyAndUnparkReturnsToTheStatusParkedFrom() {
        Fixtures.Stored t = attested(1);
        store.put(t);

        ApiServer.Reply parked = post(t.id(), "park", reason("recipient is being upgraded"));
        assertThat(parked.status()).as(parked.text()).isEqualTo(200);
        JsonNode body = parked.json();
        assertThat(body.get("messageId").asText()).isEqualTo(t.id());
        assertThat(body.get("action").asText()).isEqualTo("park");
        assertThat(body.get("previousStatus").asText()).isEqualTo("ATTESTED");
        assertThat(body.get("status").asText()).isEqualTo("PARKED");
        assertThat(body.get("by").asText()).isEqualTo("admin");
        assertThat(statusOf(t)).isEqualTo(TransferStatus.PARKED);
        assertThat(lastHistoryRow(t).from()).isEqualTo(TransferStatus.ATTESTED);
        assertThat(lastHistoryRow(t).cause()).isEqualTo("parked by admin: recipient is being upgraded");

        // parked twice: refused, it says where it is
        ApiServer.Reply again = post(t.id(), "park", reason("again"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("transferStatus").asText()).isEqualTo("PARKED");

        ApiServer.Reply unparked = post(t.id(), "unpark", reason("upgrade done"));
        assertThat(unparked.status()).as(unparked.text()).isEqualTo(200);
        assertThat(unparked.json().get("status").asText()).isEqualTo("ATTESTED");
        assertThat(statusOf(t)).isEqualTo(TransferStatus.ATTESTED);
        assertThat(lastHistoryRow(t).cause()).isEqualTo("unparked by admin back to ATTESTED: upgrade done");
    }

    @Test
    void anUnparkGoesBackWhereTheParkCameFromNotToAFixedStatus() {
        Fixtures.Stored failed = Fixtures.failed(2);
        Fixtures.Stored undeliverable = undeliverable(3);
        store.put(failed).put(undeliverable);
        for (Fixtures.Stored t : new Fixtures.Stored[] {failed, undeliverable}) {
            TransferStatus before = statusOf(t);
            assertThat(post(t.id(), "park", reason("hold")).status()).isEqualTo(200);
            ApiServer.Reply back = post(t.id(), "unpark", reason("go"));
            assertThat(back.status()).as(back.text()).isEqualTo(200);
            assertThat(statusOf(t)).isEqualTo(before);
            // the failure it was parked with is still there for the operator
            assertThat(store.get(t.transfer().id()).transfer().failure()).isPresent();
        }
    }

    @Test
    void aBroadcastTransferCannotBeParked() {
        Fixtures.Stored t = submitted(4);
        store.put(t);
        ApiServer.Reply r = post(t.id(), "park", reason("stop it"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("type").asText()).isEqualTo(Problem.WRONG_STATE);
        assertThat(p.get("transferStatus").asText()).isEqualTo("SUBMITTED");
        assertThat(p.get("allowed")).extracting(JsonNode::asText)
                .containsExactly("ATTESTED", "FAILED", "FINALIZED", "UNDELIVERABLE", "UNDERPAID");
        assertThat(p.get("detail").asText()).contains("SUBMITTED").contains("cannot be recalled");
        assertThat(statusOf(t)).isEqualTo(TransferStatus.SUBMITTED);
    }

    @Test
    void retryMovesFailedAndUndeliverableToAttestedAndNothingElse() {
        Fixtures.Stored failed = Fixtures.failed(5);
        Fixtures.Stored undeliverable = undeliverable(6);
        Fixtures.Stored attested = attested(7);
        store.put(failed).put(undeliverable).put(attested);

        ApiServer.Reply r = post(failed.id(), "retry", reason("recipient unpaused"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("previousStatus").asText()).isEqualTo("FAILED");
        assertThat(statusOf(failed)).isEqualTo(TransferStatus.ATTESTED);
        assertThat(lastHistoryRow(failed).cause()).isEqualTo("retry requested by admin: recipient unpaused");
        assertThat(post(undeliverable.id(), "retry", reason("cap raised")).status()).isEqualTo(200);
        assertThat(statusOf(undeliverable)).isEqualTo(TransferStatus.ATTESTED);

        ApiServer.Reply refused = post(attested.id(), "retry", reason("why not"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("transferStatus").asText()).isEqualTo("ATTESTED");
        assertThat(refused.json().get("allowed")).extracting(JsonNode::asText).containsExactly("FAILED", "UNDELIVERABLE");
        ApiServer.Reply notParked = post(attested.id(), "unpark", reason("why not"));
        assertThat(notParked.status()).isEqualTo(409);
        assertThat(notParked.json().get("allowed")).extracting(JsonNode::asText).containsExactly("PARKED");
        assertThat(statusOf(attested)).isEqualTo(TransferStatus.ATTESTED);
    }

    @Test
    void aRaceLostToTheRelayIsAConflictNamingTheStatusThatWon() {
        Fixtures.Stored t = attested(8);
        store.put(t);
        // the submitter takes it between the admin's read and its write
        store.beforeTransition = () -> {
            store.beforeTransition = () -> { };
            store.put(submitted(8));
        };
        ApiServer.Reply r = post(t.id(), "park", reason("hold"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("transferStatus").asText()).isEqualTo("SUBMITTED");
        assertThat(statusOf(t)).isEqualTo(TransferStatus.SUBMITTED);
    }

    @Test
    void unknownIdMalformedIdAndMissingReasonAreProblems() {
        String unknown = "0x" + "ab".repeat(32);
        ApiServer.Reply notFound = post(unknown, "park", reason("x"));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().get("type").asText()).isEqualTo(Problem.TRANSFER_NOT_FOUND);
        assertThat(notFound.json().get("detail").asText()).contains(unknown);

        ApiServer.Reply malformed = post("0x1234", "park", reason("x"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("parameter").asText()).isEqualTo("messageId");

        Fixtures.Stored t = attested(9);
        store.put(t);
        for (String body : new String[] {null, "", "{}", "{\"reason\": null}", "{\"reason\": \"  \"}", "{\"reason\": 5}",
                "not json", "[\"reason\"]", "{\"reason\": \"" + "x".repeat(501) + "\"}"}) {
            ApiServer.Reply r = post(t.id(), "park", body);
            assertThat(r.status()).as("body %s: %s", body, r.text()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("parameter").asText()).isEqualTo("reason");
        }
        assertThat(statusOf(t)).isEqualTo(TransferStatus.ATTESTED);
    }

    @Test
    void withoutTheTokenNothingMoves() {
        Fixtures.Stored t = Fixtures.failed(10);
        store.put(t);
        ApiServer.Reply noToken = server.send("POST", "/v1/admin/transfers/" + t.id() + "/retry",
                Map.of("Content-Type", "application/json"), reason("x"));
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.contentType()).startsWith("application/problem+json");
        ApiServer.Reply wrongToken = server.send("POST", "/v1/admin/transfers/" + t.id() + "/park",
                Map.of("Authorization", "Bearer not-the-token-at-all", "Content-Type", "application/json"), reason("x"));
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(statusOf(t)).isEqualTo(TransferStatus.FAILED);

        server.close();
        server = server(Optional.empty());
        assertThat(post(t.id(), "retry", reason("x")).status()).isEqualTo(403);
        assertThat(statusOf(t)).isEqualTo(TransferStatus.FAILED);
    }

    @Test
    void onlyPostIsServed() {
        Fixtures.Stored t = Fixtures.failed(11);
        store.put(t);
        ApiServer.Reply get = server.send("GET", "/v1/admin/transfers/" + t.id() + "/retry", AUTH);
        assertThat(get.status()).isEqualTo(405);
        assertThat(statusOf(t)).isEqualTo(TransferStatus.FAILED);
    }
}
