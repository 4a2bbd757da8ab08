package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.chain.message.Address;
import io.courier.finality.Attestation;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.store.AttestationStore;
import io.courier.relayer.api.ApiServer.Reply;
import io.courier.relayer.submit.ExecuteCall;
import io.courier.relayer.submitfakes.Transfers;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** {@code GET /v1/transfers/{id}/attestation}: the submitter's signatures and calldata, or a problem saying why not. */
class AttestationRoutesTest {

    private static final Transfer ATTESTED = Transfers.attested(1);
    private static final Transfer FAILED = Transfers.attested(2)
            .next(new TransferEvent.Submitted(TxHash.fromHex("0x" + "cc".repeat(32)), 4), Transfers.T0.plusSeconds(40))
            .next(new TransferEvent.ExecutionFailed("recipient reverted", TxHash.fromHex("0x" + "cc".repeat(32))), Transfers.T0.plusSeconds(50));
    private static final Transfer FINALIZED = Transfers.finalized(3);
    /** ATTESTED in the store, but its signatures were made for another gateway: none is valid here. */
    private static final Transfer WRONG_SIGNATURES = Transfers.attested(4);

    /** Nonces 20..24 delivered in one checkpoint transaction; 22 is the one asked about. */
    private static final List<Transfer> RANGE = java.util.stream.LongStream.rangeClosed(20, 24).mapToObj(Transfers::attested).toList();
    private static final TxHash CHECKPOINT_TX = TxHash.fromHex("0x" + "c1".repeat(32));
    private static final Transfer BY_CHECKPOINT = delivered(RANGE.get(2), CHECKPOINT_TX);
    private static final TxHash LONE_TX = TxHash.fromHex("0x" + "c2".repeat(32));
    private static final Transfer BY_LONE = delivered(Transfers.attested(30), LONE_TX);
    /** Delivered, but the chain's endpoints fail when asked for the transaction. */
    private static final TxHash UNREADABLE_TX = TxHash.fromHex("0x" + "c3".repeat(32));
    private static final Transfer UNREADABLE = delivered(Transfers.attested(31), UNREADABLE_TX);
    private static final Map<TxHash, String> INPUTS = new HashMap<>();

    private static final Map<MessageId, List<Attestation>> STORED = new HashMap<>();
    private static ApiServer server;

    @BeforeAll
    static void start() {
        InMemoryTransferQueries queries = new InMemoryTransferQueries();
        for (Transfer t : List.of(ATTESTED, FAILED, FINALIZED, WRONG_SIGNATURES, BY_CHECKPOINT, BY_LONE, UNREADABLE)) {
            queries.put(t, List.of());
        }
        for (Transfer t : List.of(BY_CHECKPOINT, BY_LONE, UNREADABLE)) {
            STORED.put(t.id(), Transfers.signatures(t));
        }
        // what the chain holds: a checkpoint over the range signed by validators 0 and 1, a lone execute by 1 and 2
        List<io.courier.chain.message.CrossChainMessage> range = RANGE.stream().map(Transfer::message).toList();
        var all = Transfers.keys(3);
        var digest = io.courier.chain.message.CheckpointDigest.of(range, Transfers.DST_GATEWAY.toHex());
        INPUTS.put(CHECKPOINT_TX, io.courier.chain.GatewayCalldata.executeCheckpoint(range,
                io.courier.chain.message.CheckpointRoot.ofMessages(range),
                new io.courier.chain.GatewayCalldata.ValidatorSet(2, Transfers.validatorSet()),
                all.signCheckpoint(digest, java.util.Set.copyOf(Transfers.validatorSet().subList(0, 2)))));
        INPUTS.put(LONE_TX, ExecuteCall.encode(BY_LONE.message(), Transfers.signatures(BY_LONE).subList(1, 3).stream()
                .map(a -> Numeric.hexStringToByteArray(a.signature())).toList()));
        // stored highest signer first: the answer must reorder them as the gateway checks
        List<Attestation> noisy = new ArrayList<>(Transfers.signatures(ATTESTED).stream()
                .sorted(Comparator.comparing((Attestation a) -> a.validator().toLowerCase()).reversed()).toList());
        // a signature by someone outside the set, and a duplicate: neither may reach the calldata
        noisy.add(0, new Attestation(ATTESTED.id(), "0x" + "00".repeat(20), noisy.get(0).signature(), Transfers.T0));
        noisy.add(noisy.get(2));
        STORED.put(ATTESTED.id(), noisy);
        STORED.put(FAILED.id(), Transfers.signatures(FAILED));
        // signatures stored, ATTESTED not recorded yet (the attester writes them first): still not attested
        STORED.put(FINALIZED.id(), Transfers.signatures(FINALIZED));
        var other = Transfers.keys(3);
        STORED.put(WRONG_SIGNATURES.id(), other.sign(WRONG_SIGNATURES.id(),
                other.digest(WRONG_SIGNATURES.id(), Transfers.DST, "0x" + "99".repeat(20)), Transfers.T0));
        AttestationStore store = new AttestationStore() {
            @Override
            public CompletionStage<Void> put(Attestation attestation) {
                throw new UnsupportedOperationException("the API only reads");
            }

            @Override
            public CompletionStage<List<Attestation>> list(MessageId messageId) {
                return CompletableFuture.completedFuture(STORED.getOrDefault(messageId, List.of()));
            }
        };
        server = new ApiServer(queries, api -> api.withAttestations(store, Transfers.keys(0),
                Map.of(Transfers.DST, Transfers.DST_GATEWAY, Transfers.SRC, Address.fromHex("0x" + "11".repeat(20))),
                (chainId, tx) -> tx.equals(UNREADABLE_TX)
                        ? CompletableFuture.failedFuture(new IllegalStateException("every endpoint of chain " + chainId + " timed out"))
                        : CompletableFuture.completedFuture(java.util.Optional.ofNullable(chainId == Transfers.DST ? INPUTS.get(tx) : null))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anAttestedTransferGetsThresholdSignaturesByAscendingSignerAndTheSubmittersCalldata() {
        Reply reply = server.get("/v1/transfers/" + ATTESTED.id().toHex() + "/attestation");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.path("status").asText()).isEqualTo("ATTESTED");
        assertThat(body.path("threshold").asInt()).isEqualTo(2);
        assertThat(body.path("destination").path("chainId").asLong()).isEqualTo(Transfers.DST);
        assertThat(body.path("destination").path("gateway").asText()).isEqualTo(Transfers.DST_GATEWAY.toHex());
        List<String> signers = new ArrayList<>();
        body.path("signatures").forEach(s -> signers.add(s.path("validator").asText()));
        List<String> lowestTwo = Transfers.validatorSet().stream().sorted().limit(2).toList();
        assertThat(signers).containsExactlyElementsOf(lowestTwo);

        List<byte[]> expected = Transfers.signatures(ATTESTED).stream()
                .sorted(Comparator.comparing(a -> a.validator().toLowerCase()))
                .limit(2).map(a -> Numeric.hexStringToByteArray(a.signature())).toList();
        JsonNode execute = body.path("execute");
        assertThat(execute.path("function").asText()).isEqualTo("execute");
        assertThat(execute.path("chainId").asLong()).isEqualTo(Transfers.DST);
        assertThat(execute.path("to").asText()).isEqualTo(Transfers.DST_GATEWAY.toHex());
        assertThat(execute.path("data").asText()).isEqualTo(ExecuteCall.encode(ATTESTED.message(), expected))
                .startsWith(selector("execute(uint256,address,uint64,address,address,bytes,bytes[])"));
        assertThat(body.has("retry")).as("retry is only for FAILED").isFalse();
    }

    @Test
    void aFailedTransferAlsoGetsTheRetryCalldata() {
        JsonNode body = server.get("/v1/transfers/" + FAILED.id().toHex() + "/attestation").json();

        assertThat(body.path("status").asText()).isEqualTo("FAILED");
        JsonNode retry = body.path("retry");
        assertThat(retry.path("to").asText()).isEqualTo(Transfers.DST_GATEWAY.toHex());
        String data = retry.path("data").asText();
        assertThat(data).startsWith(selector("retry(uint256,address,uint64,address,address,bytes)"));
        // the ABI words after the selector: srcChainId, srcGateway, nonce, sender, recipient (then the payload)
        String words = data.substring(10);
        assertThat(Numeric.toBigInt(words.substring(0, 64)).longValue()).isEqualTo(Transfers.SRC);
        assertThat(words.substring(64 + 24, 128)).isEqualTo(Transfers.SRC_GATEWAY.substring(2));
        assertThat(Numeric.toBigInt(words.substring(128, 192)).longValue()).isEqualTo(FAILED.message().nonce());
        assertThat(words.substring(256 + 24, 320)).isEqualTo(FAILED.message().recipient().substring(2));
    }

    @Test
    void beforeAttestationTheAnswerIsA409Problem() {
        Reply reply = server.get("/v1/transfers/" + FINALIZED.id().toHex() + "/attestation");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().path("type").asText()).isEqualTo(Problem.NOT_ATTESTED);
        assertThat(reply.json().path("transferStatus").asText()).isEqualTo("FINALIZED");
        assertThat(reply.json().path("detail").asText()).contains("is FINALIZED");
    }

    @Test
    void signaturesTheGatewayWouldRefuseAreNotHandedOut() {
        Reply reply = server.get("/v1/transfers/" + WRONG_SIGNATURES.id().toHex() + "/attestation");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().path("detail").asText()).contains("0 valid signatures");
    }

    @Test
    void anUnknownIdIsA404AndAMalformedOneA400() {
        Reply unknown = server.get("/v1/transfers/0x" + "ab".repeat(32) + "/attestation");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("type").asText()).isEqualTo(Problem.TRANSFER_NOT_FOUND);

        Reply malformed = server.get("/v1/transfers/0x12/attestation");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("parameter").asText()).isEqualTo("messageId");
    }

    @Test
    void aCheckpointDeliveryShowsItsRootTheSignedDigestAndThisMessagesPathToTheRoot() {
        JsonNode delivery = server.get("/v1/transfers/" + BY_CHECKPOINT.id().toHex() + "/attestation").json().path("delivery");

        assertThat(delivery.path("tx").asText()).isEqualTo(CHECKPOINT_TX.toHex());
        assertThat(delivery.path("function").asText()).isEqualTo("executeCheckpoint");
        JsonNode checkpoint = delivery.path("checkpoint");
        assertThat(checkpoint.path("firstNonce").asLong()).isEqualTo(20);
        assertThat(checkpoint.path("lastNonce").asLong()).isEqualTo(24);
        assertThat(checkpoint.path("messages").asInt()).isEqualTo(5);
        assertThat(checkpoint.path("leafIndex").asInt()).isEqualTo(2);
        // fold the id through the path by hand: it must land on the root the validators signed
        byte[] node = BY_CHECKPOINT.id().bytes();
        for (JsonNode step : checkpoint.path("proof")) {
            byte[] sibling = Numeric.hexStringToByteArray(step.path("sibling").asText());
            node = Hash.sha3(step.path("side").asText().equals("left") ? concat(sibling, node) : concat(node, sibling));
        }
        assertThat(Numeric.toHexString(node)).isEqualTo(checkpoint.path("root").asText());
        List<io.courier.chain.message.CrossChainMessage> range = RANGE.stream().map(Transfer::message).toList();
        assertThat(checkpoint.path("digest").asText())
                .isEqualTo(io.courier.chain.message.CheckpointDigest.of(range, Transfers.DST_GATEWAY.toHex()).toHex());
        List<String> signers = new ArrayList<>();
        delivery.path("signatures").forEach(sig -> signers.add(sig.path("signer").asText()));
        assertThat(signers).containsExactlyInAnyOrderElementsOf(Transfers.validatorSet().subList(0, 2));
    }

    @Test
    void aLoneDeliveryShowsTheSignaturesItCarriedAndWhoMadeThem() {
        JsonNode delivery = server.get("/v1/transfers/" + BY_LONE.id().toHex() + "/attestation").json().path("delivery");

        assertThat(delivery.path("function").asText()).isEqualTo("execute");
        assertThat(delivery.has("checkpoint")).isFalse();
        List<String> signers = new ArrayList<>();
        delivery.path("signatures").forEach(sig -> signers.add(sig.path("signer").asText()));
        assertThat(signers).containsExactlyElementsOf(Transfers.signatures(BY_LONE).subList(1, 3).stream()
                .map(a -> a.validator().toLowerCase()).toList());
    }

    @Test
    void aDeliveryThatCannotBeReadIsSaidSoAndTheRestOfTheAnswerStands() {
        io.courier.relayer.api.ApiServer.Reply unreadable = server.get("/v1/transfers/" + UNREADABLE.id().toHex() + "/attestation");
        assertThat(unreadable.status()).isEqualTo(200);
        assertThat(unreadable.json().path("execute").path("data").asText()).startsWith("0x");
        assertThat(unreadable.json().path("delivery").path("unavailable").asText()).contains("timed out").contains(UNREADABLE_TX.toHex());
        // FAILED's execution transaction is one the chain does not know here
        assertThat(server.get("/v1/transfers/" + FAILED.id().toHex() + "/attestation").json().path("delivery").path("unavailable").asText())
                .contains("knows no transaction");
        assertThat(server.get("/v1/transfers/" + ATTESTED.id().toHex() + "/attestation").json().has("delivery"))
                .as("not submitted yet: no delivery").isFalse();
    }

    private static Transfer delivered(Transfer attested, TxHash tx) {
        return attested.next(new TransferEvent.Submitted(tx, 9), Transfers.T0.plusSeconds(40))
                .next(new TransferEvent.Delivered(tx, 300), Transfers.T0.plusSeconds(50));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }
}
