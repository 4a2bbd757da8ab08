package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.GatewayEvents;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.rpc.FaultKind;
import io.courier.testkit.rpc.InventedLog;
import io.courier.testkit.rpc.RpcProxy;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * Issue 9: a node must not sign what did not happen because one of its RPC endpoints lies. Alpha is reached through
 * three proxies in front of the same Ganache; the first one, the endpoint the pool prefers, lies:
 * (a) its {@code eth_getLogs} answers carry a {@code MessageSent} log, from alpha's real gateway, in a real block, with
 * the correct id, of a message nobody sent; (c) its receipt of the made-up transaction holds that log; (b) it claims a
 * head 1,000 blocks ahead. Honest traffic flows in both directions meanwhile.
 */
@CassandraTest
class LyingEndpointIT {

    private static final Duration DELIVERY = Duration.ofSeconds(120);

    @Test
    void withAQuorumOfTwoNothingForgedIsAttestedAndTheHonestTrafficIsDelivered(
            LocalCassandra db, CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("liar2");
             RpcProxy liar = RpcProxy.start(net.alpha.rpcUrl());
             RpcProxy honest1 = RpcProxy.start(net.alpha.rpcUrl());
             RpcProxy honest2 = RpcProxy.start(net.alpha.rpcUrl());
             CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(
                     config(net, db, keyspace.name() + "_q2", dir, List.of(liar.url(), honest1.url(), honest2.url()), 2))), Clock.systemUTC())) {
            // the node scans logs from one endpoint, the pool's pick by latency: the honest two fail eth_getLogs so
            // that the liar's answer is the one scanned (their receipts, which deny, are what the quorum asks)
            for (RpcProxy h : List.of(honest1, honest2)) {
                h.methods(Set.of("eth_getLogs")).errorRate(1.0);
            }
            Forgery forgery = Forgery.plant(net, liar, true, 999_999);

            List<TokenTraffic.Sent> honest = net.send(4, 0);
            Transfer recorded = awaitTransfer(node, forgery.id(), t -> true, DELIVERY);
            assertThat(recorded.source().txHash().toHex()).isEqualTo(forgery.tx());
            RelayNetwork.awaitDelivered(node.transfers(), honest, DELIVERY);

            // the forged message was recorded from the liar's logs, and stops there: one endpoint vouches, two deny
            assertThat(status(node, forgery.id())).isEqualTo(TransferStatus.SENT);
            assertThat(NodeApi.chain(node, RelayNetwork.ALPHA).path("waitingForQuorum").asText())
                    .contains(forgery.id().toHex()).contains("1 of 2 needed vouch").contains("denies (no receipt");
            assertThat(NodeApi.metric(node, "courier_quorum_disputes_total", "")).isPositive();
            assertThat(liar.injected(FaultKind.INVENTED_LOG)).isPositive();
            assertThat(liar.injected(FaultKind.REWRITTEN_RESULT)).isPositive();

            // (b) the liar claims a head 1,000 blocks ahead: the node's head is the honest majority's
            liar.claimHeadAhead(1_000);
            List<TokenTraffic.Sent> more = net.send(2, 4);
            RelayNetwork.awaitDelivered(node.transfers(), more, DELIVERY);
            long realHead = net.alpha.blockNumber();
            assertThat(NodeApi.chain(node, RelayNetwork.ALPHA).path("headBlock").asLong()).isLessThanOrEqualTo(realHead);
            assertThat(liar.injected(FaultKind.HEAD_AHEAD)).isPositive();

            assertThat(status(node, forgery.id())).isEqualTo(TransferStatus.SENT);
            assertThat(net.executionsOnDestinations()).doesNotContainKey(forgery.id().toHex());
            List<TokenTraffic.Sent> all = new ArrayList<>(honest);
            all.addAll(more);
            net.assertBalances(all);
        }
    }

    @Test
    void withAQuorumOfOneTheReReadCatchesAnInventedLogButNotAForgedReceipt(
            LocalCassandra db, CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("liar1");
             RpcProxy liar = RpcProxy.start(net.alpha.rpcUrl());
             RpcProxy honest1 = RpcProxy.start(net.alpha.rpcUrl());
             RpcProxy honest2 = RpcProxy.start(net.alpha.rpcUrl());
             CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(
                     config(net, db, keyspace.name() + "_q1", dir, List.of(liar.url(), honest1.url(), honest2.url()), 1))), Clock.systemUTC())) {
            // Quorum 1 reads each answer from one endpoint, the pool's pick: by latency, which a loaded machine makes
            // flap between the three. The two honest endpoints fail logs and receipts so that every such call fails
            // over to the liar, and what is tested is what the node makes of the one endpoint it trusts.
            for (RpcProxy h : List.of(honest1, honest2)) {
                h.methods(Set.of("eth_getLogs", "eth_getTransactionReceipt")).errorRate(1.0);
            }
            // a log alone: the liar's receipt, like every endpoint's, says the transaction does not exist
            Forgery logOnly = Forgery.plant(net, liar, false, 999_998);
            List<TokenTraffic.Sent> honest = net.send(2, 0);
            awaitTransfer(node, logOnly.id(), t -> true, DELIVERY);
            RelayNetwork.awaitDelivered(node.transfers(), honest, DELIVERY);
            assertThat(status(node, logOnly.id())).isEqualTo(TransferStatus.SENT);

            // what quorum = 1 trusts: any one endpoint. A liar that also forges the receipt gets its message signed.
            liar.rewriteResult("eth_getTransactionReceipt", (params, result) ->
                    params.path(0).asText().equals(logOnly.tx()) ? InventedLog.receiptOf(List.of(logOnly.log()),
                            logOnly.message().sender(), logOnly.log().address()) : result);
            Transfer signed = awaitTransfer(node, logOnly.id(), t -> t.status() != TransferStatus.SENT, DELIVERY);
            assertThat(signed.status()).as("documented: quorum = 1 trusts a single endpoint")
                    .isIn(TransferStatus.FINALIZED, TransferStatus.ATTESTED, TransferStatus.SUBMITTED, TransferStatus.DELIVERED);
        }
    }

    /** A message nobody sent, as the liar tells it: id, made-up transaction, and the log in a real block. */
    private record Forgery(MessageId id, String tx, CrossChainMessage message, InventedLog log) {

        /**
         * Makes the liar invent the log in the next block alpha mines (so the node scans it after the lie is on) and,
         * if {@code withReceipt}, answer a receipt for its made-up transaction.
         */
        static Forgery plant(RelayNetwork net, RpcProxy liar, boolean withReceipt, long nonce) throws Exception {
            String gateway = net.network.deployments().stream().filter(d -> d.chain() == net.alpha).findFirst()
                    .orElseThrow().gateway().toLowerCase();
            // each test forges its own message (its own id): the two tests share a JVM and a Cassandra
            CrossChainMessage m = new CrossChainMessage(RelayNetwork.ALPHA, gateway, nonce, RelayNetwork.BETA,
                    "0x" + "66".repeat(20), "0x" + "77".repeat(20), "mint me a million".getBytes(StandardCharsets.US_ASCII));
            long block = net.alpha.blockNumber() + 2;
            String tx = InventedLog.madeUpHash("lying-endpoint-" + block);
            // on before the block exists, so the node cannot scan it before the lie: the log is made when first asked
            liar.inventLogs(query -> query.fromBlock() <= block && block <= query.toBlock()
                    ? List.of(logIn(m, block, realHash(net, block), tx)) : List.of());
            InventedLog log = logIn(m, block, awaitBlock(net, block).getHash(), tx);
            if (withReceipt) {
                liar.rewriteResult("eth_getTransactionReceipt", (params, result) -> params.path(0).asText().equals(tx)
                        ? InventedLog.receiptOf(List.of(log), m.sender(), gateway) : result);
            }
            return new Forgery(m.id(), tx, m, log);
        }
    }

    private static InventedLog logIn(CrossChainMessage m, long block, String blockHash, String tx) {
        return new InventedLog(m.srcGateway(), List.of(GatewayEvents.MESSAGE_SENT_TOPIC, m.id().toHex(),
                "0x" + word(m.dstChainId()), "0x" + addressWord(m.recipient())), data(m), block, blockHash, tx, 0, 77);
    }

    private static String realHash(RelayNetwork net, long number) {
        try {
            return net.alpha.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                    .send().getBlock().getHash();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static EthBlock.Block awaitBlock(RelayNetwork net, long number) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            EthBlock.Block b = net.alpha.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                    .send().getBlock();
            if (b != null) {
                return b;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("alpha never mined block " + number);
    }

    /** Each test its own keyspace: a cursor left by the other test's chains would read as a reorg while away. */
    private static Map<String, Object> config(RelayNetwork net, LocalCassandra db, String keyspace,
                                              Path dir, List<String> alphaUrls, int quorum) throws Exception {
        Map<String, Object> map = net.configMap(db, keyspace, dir.resolve("keys"), 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chains = (List<Map<String, Object>>) RelayNetwork.courier(map).get("chains");
        chains.stream().filter(c -> ((Number) c.get("chain-id")).longValue() == RelayNetwork.ALPHA).forEach(c -> {
            c.remove("rpc-url");
            c.put("rpc-urls", alphaUrls);
            c.put("quorum", quorum);
        });
        return map;
    }

    private static TransferStatus status(CourierNode node, MessageId id) throws Exception {
        return node.transfers().find(id).toCompletableFuture().get().map(Transfer::status).orElse(null);
    }

    private static Transfer awaitTransfer(CourierNode node, MessageId id, Predicate<Transfer> until, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        AtomicReference<Optional<Transfer>> last = new AtomicReference<>(Optional.empty());
        while (Instant.now().isBefore(deadline)) {
            last.set(node.transfers().find(id).toCompletableFuture().get());
            if (last.get().filter(until).isPresent()) {
                return last.get().get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("transfer " + id + " never got there within " + timeout + "; last seen " + last.get());
    }

    private static String word(long value) {
        return String.format("%064x", value);
    }

    private static String addressWord(String address) {
        return "000000000000000000000000" + address.substring(2);
    }

    private static String data(CrossChainMessage m) {
        String hex = HexFormat.of().formatHex(m.payload());
        int padded = (m.payload().length + 31) / 32 * 64;
        return "0x" + word(m.nonce()) + addressWord(m.sender()) + word(96) + word(m.payload().length)
                + hex + "0".repeat(padded - hex.length());
    }
}
