package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.contracts.Gateway;
import io.courier.contracts.TokenBridge;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Real reorgs on Ganache (evm_snapshot, mine, evm_revert, mine another branch), chains mining only when told so
 * the test decides every block: a transfer reorged out is REORGED and never executed; a transfer whose
 * transaction is re-included on the new branch is delivered once; a reorg deeper than the finality policy halts
 * the chain, nothing from it is delivered until an operator resumes it.
 */
@CassandraTest
class ReorgIT {

    private static final int CONFIRMATIONS = 3;
    /** Blocks mined on each chain while alpha is halted: several times the confirmations the policy asks for. */
    private static final int HALTED_BLOCKS = 4 * CONFIRMATIONS;
    private static final String ADMIN_TOKEN = "reorg-it-admin-token-0123456789";

    @Test
    void transferReorgedOutIsNeverDelivered(LocalCassandra db, CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("reorg-out", 0, RelayNetwork.ALPHA, RelayNetwork.BETA);
             CourierNode node = start(net, db, keyspace.name() + "_out", dir)) {
            String snapshot = net.alpha.snapshot();
            TokenTraffic.Sent doomed = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
            awaitStatus(node, doomed, TransferStatus.SENT, Duration.ofSeconds(30));

            net.alpha.revert(snapshot);     // the block with the lock leaves the chain...
            mineDistinct(net.alpha, CONFIRMATIONS + 2); // ...and a longer branch without it takes over
            awaitStatus(node, doomed, TransferStatus.REORGED, Duration.ofSeconds(30));

            // a later transfer on the new branch goes through, so the relay ran while we watch for the doomed one.
            // (Its amount differs: after the revert the gateway reuses the nonce, and an identical lock would have
            // the doomed message's id, which revives the doomed transfer: see the test below.)
            TokenTraffic.Sent later = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.valueOf(3)));
            mineDistinct(net.alpha, CONFIRMATIONS);
            RelayNetwork.awaitDelivered(node.transfers(), List.of(later), Duration.ofSeconds(60));
            assertThat(net.executionsOnDestinations()).doesNotContainKey(doomed.messageId()).containsEntry(later.messageId(), 1);
            // the gateway's replay record is per route and nonce (ADR 008): the later message took the doomed one's
            // nonce, so a status asked with the doomed message's fields reads Delivered; its id was never executed (above)
            assertThat(net.traffic.statusOnDestination(later)).isEqualTo(1);
        }
    }

    @Test
    void transferReincludedOnTheNewBranchIsDeliveredOnce(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                        @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("reorg-in", 0, RelayNetwork.ALPHA, RelayNetwork.BETA);
             CourierNode node = start(net, db, keyspace.name() + "_in", dir)) {
            String snapshot = net.alpha.snapshot();
            String raw = signedLock(net, RelayNetwork.UNIT.multiply(BigInteger.TWO));
            TokenTraffic.Sent sent = sendRaw(net, raw);
            Transfer first = awaitStatus(node, sent, TransferStatus.SENT, Duration.ofSeconds(30));

            net.alpha.revert(snapshot);
            mineDistinct(net.alpha, 1);   // a different block at the lock's old height
            TokenTraffic.Sent again = sendRaw(net, raw); // the same signed transaction, now one block later
            assertThat(again.messageId()).isEqualTo(sent.messageId());
            mineDistinct(net.alpha, CONFIRMATIONS + 1);

            RelayNetwork.awaitDelivered(node.transfers(), List.of(sent), Duration.ofSeconds(60));
            Transfer delivered = node.transfers().find(MessageId.fromHex(sent.messageId())).toCompletableFuture().get().orElseThrow();
            assertThat(delivered.source().blockNumber()).isEqualTo(first.source().blockNumber() + 1);
            assertThat(node.transfers().history(delivered.id()).toCompletableFuture().get())
                    .anySatisfy(h -> assertThat(h.cause()).contains("moved from block"));
            assertThat(net.executionsOnDestinations()).containsEntry(sent.messageId(), 1);
        }
    }

    @Test
    void aReorgedTransferWhoseTransactionComesBackIsRevivedAndDeliveredOnce(LocalCassandra db,
            CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("reorg-back", 0, RelayNetwork.ALPHA, RelayNetwork.BETA);
             CourierNode node = start(net, db, keyspace.name() + "_back", dir)) {
            String snapshot = net.alpha.snapshot();
            String raw = signedLock(net, RelayNetwork.UNIT.multiply(BigInteger.valueOf(5)));
            TokenTraffic.Sent sent = sendRaw(net, raw);
            awaitStatus(node, sent, TransferStatus.SENT, Duration.ofSeconds(30));
            net.alpha.revert(snapshot);
            mineDistinct(net.alpha, CONFIRMATIONS + 2);
            awaitStatus(node, sent, TransferStatus.REORGED, Duration.ofSeconds(30));
            assertThat(net.executionsOnDestinations()).doesNotContainKey(sent.messageId());

            // the wallet broadcasts the same signed transaction again, long after: same lock, same message id
            TokenTraffic.Sent back = sendRaw(net, raw);
            assertThat(back.messageId()).isEqualTo(sent.messageId());
            mineDistinct(net.alpha, CONFIRMATIONS + 1);

            RelayNetwork.awaitDelivered(node.transfers(), List.of(sent), Duration.ofSeconds(60));
            assertThat(node.transfers().history(MessageId.fromHex(sent.messageId())).toCompletableFuture().get())
                    .extracting(h -> h.to()).containsSubsequence(TransferStatus.SENT, TransferStatus.REORGED,
                            TransferStatus.SENT, TransferStatus.FINALIZED, TransferStatus.DELIVERED);
            assertThat(net.executionsOnDestinations()).containsEntry(sent.messageId(), 1);
        }
    }

    @Test
    void reorgDeeperThanFinalityHaltsTheChainUntilResumed(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                         @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("reorg-deep", 0, RelayNetwork.ALPHA, RelayNetwork.BETA);
             CourierNode node = start(net, db, keyspace.name() + "_deep", dir)) {
            String snapshot = net.alpha.snapshot();
            TokenTraffic.Sent early = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
            mineDistinct(net.alpha, CONFIRMATIONS + 1);
            RelayNetwork.awaitDelivered(node.transfers(), List.of(early), Duration.ofSeconds(60)); // final by policy

            net.alpha.revert(snapshot); // now replace blocks the policy called final
            TokenTraffic.Sent onNewBranch = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.TEN));
            mineDistinct(net.alpha, CONFIRMATIONS + 4);
            awaitHalted(node, Duration.ofSeconds(30));
            assertThat(NodeApi.metric(node, "courier_deep_reorgs_total", "chain=\"reorg-deep-" + RelayNetwork.ALPHA + "\"")).isGreaterThanOrEqualTo(1.0);

            // halted: both chains keep producing blocks, far past the policy's confirmations, and the node works
            // through every one of them (its watchers scan them); nothing from alpha may be attested or delivered
            MessageId halted = MessageId.fromHex(onNewBranch.messageId());
            for (int i = 0; i < HALTED_BLOCKS; i++) {
                mineDistinct(net.alpha, 1);
                net.beta.mine(1);
                awaitScanned(node, RelayNetwork.ALPHA, net.alpha.blockNumber(), Duration.ofSeconds(30));
                awaitScanned(node, RelayNetwork.BETA, net.beta.blockNumber(), Duration.ofSeconds(30));
                Transfer waiting = node.transfers().find(halted).toCompletableFuture().get().orElseThrow();
                assertThat(waiting.status()).as("after %d blocks while halted", i + 1).isIn(TransferStatus.SENT, TransferStatus.FINALIZED);
                assertThat(node.stores().attestations().list(halted).toCompletableFuture().get())
                        .as("signatures after %d blocks while halted", i + 1).isEmpty();
            }
            assertThat(NodeApi.chain(node, RelayNetwork.ALPHA).path("halted").asBoolean()).as("still halted").isTrue();
            assertThat(node.transfers().history(halted).toCompletableFuture().get()).extracting(h -> h.to())
                    .doesNotContain(TransferStatus.ATTESTED, TransferStatus.SUBMITTED, TransferStatus.DELIVERED);
            assertThat(net.executionsOnDestinations()).doesNotContainKey(onNewBranch.messageId());

            HttpResponse<String> unauthorized = post(node.apiUrl() + "/v1/admin/chains/" + RelayNetwork.ALPHA + "/resume", "wrong-token");
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            HttpResponse<String> resumed = post(node.apiUrl() + "/v1/admin/chains/" + RelayNetwork.ALPHA + "/resume", ADMIN_TOKEN);
            assertThat(resumed.statusCode()).isEqualTo(200);
            mineDistinct(net.alpha, CONFIRMATIONS);
            // the new branch's message reuses the nonce `early` (now orphaned) was delivered with: a nonce executes once
            // on the destination (ADR 008), so it cannot be delivered there; it is parked for an operator, never sent
            awaitStatus(node, onNewBranch, TransferStatus.UNDELIVERABLE, Duration.ofSeconds(60));
            assertThat(node.transfers().find(halted).toCompletableFuture().get().orElseThrow().failure()).get().asString()
                    .startsWith(DeliveryObstacle.NONCE_ALREADY_USED.name());
            assertThat(net.executionsOnDestinations()).doesNotContainKey(onNewBranch.messageId());
            assertThat(NodeApi.chain(node, RelayNetwork.ALPHA).path("halted").asBoolean()).isFalse();
        }
    }

    private static CourierNode start(RelayNetwork net, LocalCassandra db, String keyspace, Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("admin.token"), ADMIN_TOKEN);
        Map<String, Object> map = net.configMap(db, keyspace, dir.resolve("keys"), CONFIRMATIONS);
        RelayNetwork.courier(map).put("api", Map.of("host", "127.0.0.1", "port", 0, "admin-token-file", token.toString()));
        return CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC());
    }

    /** Mines blocks one second apart in block time, so a new branch never repeats an old block's hash. */
    private static void mineDistinct(LocalChain chain, int blocks) {
        for (int i = 0; i < blocks; i++) {
            long now = System.currentTimeMillis() / 1000;
            chain.call("evm_mine", List.of(Map.of("timestamp", now + 1000 + chain.blockNumber() * 7 + i)));
        }
    }

    private static String signedLock(RelayNetwork net, BigInteger amount) throws Exception {
        DemoNetwork.Deployment d = net.network.on(RelayNetwork.ALPHA);
        var user = LocalChain.account(DemoNetwork.USER);
        String data = TokenBridge.load(d.bridge(), net.alpha.web3j(), DemoNetwork.transactions(net.alpha, user), DemoNetwork.gas())
                .lock(BigInteger.valueOf(RelayNetwork.BETA), net.traffic.recipient(), amount, BigInteger.ZERO).encodeFunctionCall();
        BigInteger nonce = net.alpha.web3j().ethGetTransactionCount(user.getAddress(), DefaultBlockParameterName.PENDING)
                .send().getTransactionCount();
        RawTransaction tx = RawTransaction.createTransaction(nonce, BigInteger.valueOf(20_000_000_000L),
                BigInteger.valueOf(400_000), d.bridge(), BigInteger.ZERO, data);
        return new RawTransactionManager(net.alpha.web3j(), user, RelayNetwork.ALPHA).sign(tx);
    }

    private static TokenTraffic.Sent sendRaw(RelayNetwork net, String raw) throws Exception {
        var sent = net.alpha.web3j().ethSendRawTransaction(raw).send();
        if (sent.hasError()) {
            throw new AssertionError("raw lock refused: " + sent.getError().getMessage());
        }
        TransactionReceipt receipt = new PollingTransactionReceiptProcessor(net.alpha.web3j(), 100, 300)
                .waitForTransactionReceipt(sent.getTransactionHash());
        var events = Gateway.getMessageSentEvents(receipt);
        assertThat(events).hasSize(1);
        return new TokenTraffic.Sent(Numeric.toHexString(events.get(0).id), RelayNetwork.ALPHA, RelayNetwork.BETA,
                receipt.getTransactionHash(), BigInteger.ZERO, events.get(0).nonce.longValueExact());
    }

    private static Transfer awaitStatus(CourierNode node, TokenTraffic.Sent s, TransferStatus status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Transfer> t = Optional.empty();
        while (System.nanoTime() < deadline) {
            t = node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().get();
            if (t.isPresent() && t.get().status() == status) {
                return t.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(s.messageId() + " did not reach " + status + " within " + timeout + "; is "
                + t.map(Transfer::status).orElse(null));
    }

    private static void awaitHalted(CourierNode node, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (NodeApi.chain(node, RelayNetwork.ALPHA).path("halted").asBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("chain " + RelayNetwork.ALPHA + " not halted within " + timeout + ": " + NodeApi.chain(node, RelayNetwork.ALPHA));
    }

    /** Waits until the node's watcher of {@code chainId} has scanned up to {@code block}. */
    private static void awaitScanned(CourierNode node, long chainId, long block, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var view = NodeApi.chain(node, chainId);
        while (view.path("lastScannedBlock").asLong(-1) < block) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("chain " + chainId + " not scanned up to block " + block + " within " + timeout + ": " + view);
            }
            Thread.sleep(100);
            view = NodeApi.chain(node, chainId);
        }
    }

    private static HttpResponse<String> post(String url, String token) throws Exception {
        return NodeApi.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

}
