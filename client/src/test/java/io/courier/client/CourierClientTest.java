package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CourierClientTest {

    static final String ID = "0x" + "ab".repeat(32);
    static final String TX = "0x" + "cd".repeat(32);

    private FakeNode node;
    private CourierClient client;

    @BeforeEach
    void start() throws Exception {
        node = new FakeNode();
        client = CourierClient.builder(node.uri()).retryInterval(Duration.ofMillis(20)).build();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    static String transfer(String id, String status) {
        return """
                {"messageId":"%s","status":"%s","sourceChainId":1001,"destinationChainId":1002,
                 "sourceGateway":"0x1111111111111111111111111111111111111111","sender":"0x2222222222222222222222222222222222222222",
                 "recipient":"0x3333333333333333333333333333333333333333","nonce":7,"payloadHash":"0x%s","payloadSize":13,
                 "amount":"1000000000000000000000","source":{"txHash":"%s","blockNumber":120,"blockHash":"0x%s","logIndex":0},
                 "confirmations":{"seen":12,"required":12},"stages":{"sent":"2025-03-01T10:00:00Z","finalized":"2025-03-01T10:00:30Z"},
                 "createdAt":"2025-03-01T10:00:00Z","updatedAt":"2025-03-01T10:00:30Z",
                 "links":{"self":"/v1/transfers/%s","history":"x","events":"y"},"aMemberFromANewerNode":{"x":1}}
                """.formatted(id, status, "ee".repeat(32), TX, "bb".repeat(32), id);
    }

    static String event(String id, String transferJson) {
        return (id == null ? "" : "id: " + id + "\n") + "event: status\ndata: " + transferJson.replace("\n", "") + "\n\n";
    }

    @Test
    void aTransferIsReadTyped() {
        node.on("/v1/transfers/" + ID, FakeNode.ok(transfer(ID, "FINALIZED")));

        Transfer t = client.transfer(ID).orElseThrow();

        assertThat(t.status()).isEqualTo(TransferStatus.FINALIZED);
        assertThat(t.nonce()).isEqualTo(7);
        assertThat(t.amountValue()).contains("1000000000000000000000");
        assertThat(t.source().txHash()).isEqualTo(TX);
        assertThat(t.confirmations().required()).isEqualTo(12);
        assertThat(t.stage(TransferStatus.FINALIZED)).contains(Instant.parse("2025-03-01T10:00:30Z"));
        assertThat(t.stage(TransferStatus.DELIVERED)).isEmpty();
        assertThat(t.destinationTx()).isEmpty();
    }

    @Test
    void anUnderpaidTransferSaysWhatIsMissingAndHowToTopUp() {
        String json = transfer(ID, "UNDERPAID").replace("\"aMemberFromANewerNode\"", """
                "payment":{"policy":"required","paid":"0","required":"5000","missing":"5000","topUp":{"chainId":1001,
                 "gateway":"0x1111111111111111111111111111111111111111","function":"payForGas(bytes32)","calldata":"0x"}},
                "aMemberFromANewerNode\"""");
        node.on("/v1/transfers/" + ID, FakeNode.ok(json));

        Transfer t = client.transfer(ID).orElseThrow();

        assertThat(t.status()).isEqualTo(TransferStatus.UNDERPAID);
        Transfer.Payment payment = t.paymentInfo().orElseThrow();
        assertThat(payment.missing()).isEqualTo("5000");
        assertThat(payment.topUp().function()).isEqualTo("payForGas(bytes32)");
        assertThat(payment.topUp().gateway()).isEqualTo("0x1111111111111111111111111111111111111111");
    }

    @Test
    void aTransferFromANodeWithoutPaymentsHasNoPaymentInfo() {
        node.on("/v1/transfers/" + ID, FakeNode.ok(transfer(ID, "FINALIZED")));
        assertThat(client.transfer(ID).orElseThrow().paymentInfo()).isEmpty();
    }

    @Test
    void aStatusNewerThanTheClientReadsAsUnknown() {
        node.on("/v1/transfers/" + ID, FakeNode.ok(transfer(ID, "TELEPORTED")));

        Transfer t = client.transfer(ID).orElseThrow();

        assertThat(t.status()).isEqualTo(TransferStatus.UNKNOWN);
        assertThat(t.status().isTerminal()).isFalse();
    }

    @Test
    void anUnknownTransferIsEmptyAndOtherProblemsAreThrownWithTheirType() {
        node.on("/v1/transfers/" + ID, FakeNode.json(404, "application/problem+json",
                "{\"type\":\"urn:courier:problem:transfer-not-found\",\"title\":\"Transfer not found\",\"status\":404}"));
        node.on("/v1/transfers/0x12", FakeNode.json(400, "application/problem+json",
                "{\"type\":\"urn:courier:problem:invalid-parameter\",\"title\":\"Invalid parameter\",\"status\":400,"
                        + "\"detail\":\"messageId must be 0x followed by 64 hex digits\",\"parameter\":\"messageId\"}"));

        assertThat(client.transfer(ID)).isEmpty();
        assertThatThrownBy(() -> client.transfer("0x12")).isInstanceOfSatisfying(CourierApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("urn:courier:problem:invalid-parameter");
            assertThat(e.detail()).contains("64 hex digits");
        });
    }

    @Test
    void aSourceTransactionsTransfersAreListed() {
        node.on("/v1/transfers?sourceTx=" + TX + "&chain=1001",
                FakeNode.ok("{\"transfers\":[" + transfer(ID, "SENT") + "]}"));

        assertThat(client.bySourceTx(1001, TX)).extracting(Transfer::messageId).containsExactly(ID);
    }

    @Test
    void allByAddressFollowsEveryCursorEvenPastAnEmptyFilteredPage() {
        String address = "0x" + "22".repeat(20);
        String second = "0x" + "02".repeat(32);
        String base = "/v1/transfers?address=" + address + "&limit=2&status=DELIVERED";
        node.on(base, FakeNode.ok("{\"transfers\":[" + transfer(ID, "DELIVERED") + "],\"next\":\"c1/+=\"}"));
        node.on(base + "&cursor=c1%2F%2B%3D", FakeNode.ok("{\"transfers\":[],\"next\":\"c2\"}"));
        node.on(base + "&cursor=c2", FakeNode.ok("{\"transfers\":[" + transfer(second, "DELIVERED") + "]}"));

        List<String> ids = client.allByAddress(address, TransferStatus.DELIVERED, 2).map(Transfer::messageId).toList();

        assertThat(ids).containsExactly(ID, second);
    }

    @Test
    void historyAndSelfRelayAreRead() {
        node.on("/v1/transfers/" + ID + "/history", FakeNode.ok("{\"messageId\":\"" + ID + "\",\"history\":["
                + "{\"at\":\"2025-03-01T10:00:00Z\",\"to\":\"SENT\",\"cause\":\"seen\"},"
                + "{\"at\":\"2025-03-01T10:00:30Z\",\"from\":\"SENT\",\"to\":\"FINALIZED\",\"cause\":\"12 confirmations\"}]}"));
        node.on("/v1/transfers/" + ID + "/attestation", FakeNode.ok("{\"messageId\":\"" + ID + "\",\"status\":\"FAILED\","
                + "\"destination\":{\"chainId\":1002,\"gateway\":\"0x12\"},\"threshold\":1,"
                + "\"signatures\":[{\"validator\":\"0x01\",\"signature\":\"0xsig\"}],"
                + "\"execute\":{\"function\":\"execute\",\"chainId\":1002,\"to\":\"0x12\",\"data\":\"0xexec\"},"
                + "\"retry\":{\"function\":\"retry\",\"chainId\":1002,\"to\":\"0x12\",\"data\":\"0xretry\"}}"));

        assertThat(client.history(ID)).extracting(HistoryEntry::from, HistoryEntry::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(null, TransferStatus.SENT),
                        org.assertj.core.groups.Tuple.tuple(TransferStatus.SENT, TransferStatus.FINALIZED));
        SelfRelay relay = client.selfRelay(ID);
        assertThat(relay.execute().data()).isEqualTo("0xexec");
        assertThat(relay.retryCall()).map(SelfRelay.GatewayCall::data).contains("0xretry");
        assertThat(relay.signatures()).extracting(SelfRelay.Signature::validator).containsExactly("0x01");
    }

    @Test
    void awaitDeliveredWaitsForTheIdToAppearAndReconnectsWithTheLastEventId() throws Exception {
        String events = "/v1/transfers/" + ID + "/events";
        node.on(events,
                FakeNode.json(404, "application/problem+json", "{\"type\":\"urn:courier:problem:transfer-not-found\",\"title\":\"t\",\"status\":404}"),
                // the node ends a stream after its lifetime: the client reconnects from the last id
                FakeNode.stream(false, ": hello\n\n", event("1", transfer(ID, "SENT")), event("2", transfer(ID, "SUBMITTED"))),
                FakeNode.stream(false, event("3", transfer(ID, "DELIVERED"))));

        Transfer delivered = client.awaitDelivered(ID, Duration.ofMinutes(1));

        assertThat(delivered.status()).isEqualTo(TransferStatus.DELIVERED);
        List<FakeNode.Seen> asked = node.seen.stream().filter(s -> s.target().equals(events)).toList();
        assertThat(asked).extracting(FakeNode.Seen::lastEventId).containsExactly(null, null, "2");
    }

    @Test
    void awaitDeliveredStopsAtAStatusThatWaitsForAnOperator() {
        node.on("/v1/transfers/" + ID + "/events",
                FakeNode.stream(false, event(null, transfer(ID, "SUBMITTED")), event(null, transfer(ID, "FAILED"))));

        assertThatThrownBy(() -> client.awaitDelivered(ID, Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(NotDeliveredException.class, e -> assertThat(e.transfer().status()).isEqualTo(TransferStatus.FAILED));
    }

    @Test
    void awaitDeliveredGivesUpAfterItsTimeoutOnAStreamThatOnlyBeats() {
        node.on("/v1/transfers/" + ID + "/events", FakeNode.stream(true, event(null, transfer(ID, "SUBMITTED"))));

        assertThatThrownBy(() -> client.awaitDelivered(ID, Duration.ofMillis(300)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("last seen SUBMITTED");
    }

    @Test
    void awaitDeliveredDoesNotRetryARequestTheNodeRefusesForGood() {
        node.on("/v1/transfers/0x12/events", FakeNode.json(400, "application/problem+json",
                "{\"type\":\"urn:courier:problem:invalid-parameter\",\"title\":\"Invalid parameter\",\"status\":400}"));

        assertThatThrownBy(() -> client.awaitDelivered("0x12", Duration.ofMinutes(1)))
                .isInstanceOfSatisfying(CourierApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(node.seen).hasSize(1);
    }
}
