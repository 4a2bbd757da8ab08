package io.courier.e2e;

import io.courier.chain.message.Address;

import io.courier.chain.message.TxHash;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.finality.Attestation;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.store.TransferStore;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.submit.ExecuteCall;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import io.courier.testkit.rpc.RpcProxy;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * What the destination submitter recovers from, each case built exactly against real Ganache and Cassandra while
 * the node is down, then the node restarted: a crash between recording a transaction and persisting SUBMITTED
 * (adopt it, no nonce gap), a nonce taken by another transaction (replace ours), and the message executed by
 * someone else (record that execution, do not send another).
 */
@CassandraTest
class SubmitterRecoveryIT {

    @Test
    void aRecordedButUnsubmittedTransactionIsAdoptedSoNoNonceGapBlocksTheSigner(LocalCassandra db,
            CassandraExtension.Keyspace keyspace, CqlSession session, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("gap");
             RpcProxy betaProxy = RpcProxy.start(net.beta.rpcUrl()).down(true)) {
            int port = RelayerProcess.freePort();
            Path config = nodeConfig(net, betaProxy, db, keyspace.name(), dir, port, Map.of());
            Path log = dir.resolve("relayer.log");
            Attested attested = attestedThenKilled(net, config, port, log, session, keyspace.name(), 1, 2);
            CassandraStores stores = attested.stores();
            TransferStore transfers = stores.transfers();
            TokenTraffic.Sent b = attested.sent().get(0);
            TokenTraffic.Sent c = attested.sent().get(1);

            Credentials signer = LocalChain.account(DemoNetwork.SUBMITTER);
            String gateway = net.network.on(RelayNetwork.BETA).gateway();
            long n = minedNonce(net.beta, signer);
            Transfer tb = find(transfers, b);
            Transfer tc = find(transfers, c);
            String rawB = signedExecute(stores, tb, gateway, signer, n);
            String rawC = signedExecute(stores, tc, gateway, signer, n + 1);
            Instant now = Instant.now();
            // B: recorded, then the crash (still ATTESTED). C: recorded, SUBMITTED and broadcast (the chain queues it)
            stores.submissions().record(submission(tb, signer, n, rawB, now)).toCompletableFuture().get();
            stores.submissions().record(submission(tc, signer, n + 1, rawC, now)).toCompletableFuture().get();
            transfers.transition(tc.id(), TransferStatus.ATTESTED, new TransferEvent.Submitted(TxHash.fromHex(Hash.sha3(rawC)), n + 1), now)
                    .toCompletableFuture().get();
            assertThat(net.beta.web3j().ethSendRawTransaction(rawC).send().hasError()).isFalse();

            restartWithBetaUpUntilDelivered(betaProxy, config, port, log, transfers, List.of(b, c));
            assertThat(find(transfers, b).destinationTx()).contains(TxHash.fromHex(Hash.sha3(rawB))); // adopted, not signed again
            assertThat(find(transfers, c).destinationTx()).contains(TxHash.fromHex(Hash.sha3(rawC)));
            Map<String, Integer> executions = net.executionsOnDestinations();
            assertThat(executions.get(b.messageId())).isEqualTo(1);
            assertThat(executions.get(c.messageId())).isEqualTo(1);
            assertThat(Files.readString(log)).contains("adopting its recorded transaction " + Hash.sha3(rawB));
        }
    }

    /**
     * The opposite case: transfer D is SUBMITTED with a recorded transaction at nonce n that never reached the chain,
     * and another transaction of the signer took nonce n. D's transaction can never be mined; the node must notice
     * (no receipt, nonce used) and replace it at a new nonce, not wait for it forever.
     */
    @Test
    void aSubmittedTransactionWhoseNonceWasTakenIsReplacedAtANewNonce(LocalCassandra db,
            CassandraExtension.Keyspace keyspace, CqlSession session, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("taken");
             RpcProxy betaProxy = RpcProxy.start(net.beta.rpcUrl()).down(true)) {
            int port = RelayerProcess.freePort();
            Path config = nodeConfig(net, betaProxy, db, keyspace.name() + "_taken", dir, port, Map.of("rebroadcast-after", "2s"));
            Path log = dir.resolve("relayer.log");

            Attested attested = attestedThenKilled(net, config, port, log, session, keyspace.name() + "_taken", 4);
            CassandraStores stores = attested.stores();
            TransferStore transfers = stores.transfers();
            TokenTraffic.Sent d = attested.sent().get(0);

            Credentials signer = LocalChain.account(DemoNetwork.SUBMITTER);
            String gateway = net.network.on(RelayNetwork.BETA).gateway();
            long n = minedNonce(net.beta, signer);
            Transfer td = find(transfers, d);
            String rawD = signedExecute(stores, td, gateway, signer, n);
            Instant now = Instant.now();
            stores.submissions().record(submission(td, signer, n, rawD, now)).toCompletableFuture().get();
            transfers.transition(td.id(), TransferStatus.ATTESTED, new TransferEvent.Submitted(TxHash.fromHex(Hash.sha3(rawD)), n), now)
                    .toCompletableFuture().get();
            // nonce n goes to something else (an operator's manual transaction, another tool sharing the key)
            RawTransaction other = RawTransaction.createTransaction(RelayNetwork.BETA, BigInteger.valueOf(n),
                    BigInteger.valueOf(21_000), signer.getAddress(), BigInteger.ZERO, "0x",
                    BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(50_000_000_000L));
            String otherHash = net.beta.web3j().ethSendRawTransaction(Numeric.toHexString(
                    TransactionEncoder.signMessage(other, RelayNetwork.BETA, signer))).send().getTransactionHash();
            awaitMined(net.beta, otherHash, Duration.ofSeconds(30));

            restartWithBetaUpUntilDelivered(betaProxy, config, port, log, transfers, List.of(d));
            Transfer delivered = find(transfers, d);
            assertThat(delivered.destinationTx()).isPresent().get().isNotEqualTo(TxHash.fromHex(Hash.sha3(rawD)));
            assertThat(transfers.history(td.id()).toCompletableFuture().get())
                    .anySatisfy(h -> assertThat(h.cause()).startsWith("replaced by tx " + delivered.destinationTx().get()));
            assertThat(net.executionsOnDestinations().get(d.messageId())).isEqualTo(1);
            assertThat(Files.readString(log)).contains("can never be mined");
        }
    }

    /**
     * The gateway's execute is permissionless: anyone holding the published signatures may deliver. Transfer E is
     * ATTESTED while the node is down, and another account executes it. The restarted node must not submit it again
     * (the pre-flight reverts) nor leave it ATTESTED forever: it records SUBMITTED and DELIVERED with that transaction.
     */
    @Test
    void aMessageExecutedBySomeoneElseIsRecordedNotSentAgain(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                             CqlSession session, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("elsewhere");
             RpcProxy betaProxy = RpcProxy.start(net.beta.rpcUrl()).down(true)) {
            int port = RelayerProcess.freePort();
            String ks = keyspace.name() + "_elsewhere";
            Path config = nodeConfig(net, betaProxy, db, ks, dir, port, Map.of());
            Path log = dir.resolve("relayer.log");
            Attested attested = attestedThenKilled(net, config, port, log, session, ks, 6);
            CassandraStores stores = attested.stores();
            TransferStore transfers = stores.transfers();
            TokenTraffic.Sent e = attested.sent().get(0);

            Credentials someoneElse = LocalChain.account(DemoNetwork.USER);
            String rawE = signedExecute(stores, find(transfers, e), net.network.on(RelayNetwork.BETA).gateway(), someoneElse,
                    net.beta.web3j().ethGetTransactionCount(someoneElse.getAddress(), DefaultBlockParameterName.PENDING)
                            .send().getTransactionCount().longValueExact());
            String theirs = net.beta.web3j().ethSendRawTransaction(rawE).send().getTransactionHash();
            awaitMined(net.beta, theirs, Duration.ofSeconds(30));

            restartWithBetaUpUntilDelivered(betaProxy, config, port, log, transfers, List.of(e));
            assertThat(find(transfers, e).destinationTx()).contains(TxHash.fromHex(theirs));
            assertThat(net.executionsOnDestinations().get(e.messageId())).isEqualTo(1);
            assertThat(Files.readString(log)).contains("already executed on").contains(theirs);
        }
    }

    private record Attested(CassandraStores stores, List<TokenTraffic.Sent> sent) {}

    /**
     * With beta unreachable the node attests alpha→beta transfers of these amounts (in units) but cannot submit them;
     * then it is killed. The stores are prepared once the node has migrated the keyspace.
     */
    private static Attested attestedThenKilled(RelayNetwork net, Path config, int port, Path log, CqlSession session,
                                               String keyspace, long... units) throws Exception {
        RelayerProcess relayer = RelayerProcess.start(config, port, log);
        try {
            CassandraStores stores = CassandraStores.prepare(session, keyspace);
            List<TokenTraffic.Sent> sent = new java.util.ArrayList<>();
            for (long u : units) {
                sent.add(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.valueOf(u))));
            }
            RelayNetwork.awaitStatus(stores.transfers(), sent, TransferStatus.ATTESTED, Duration.ofSeconds(60));
            return new Attested(stores, sent);
        } finally {
            relayer.kill();
        }
    }

    /** Beta reachable again, the node restarted until {@code which} are DELIVERED, then stopped. */
    private static void restartWithBetaUpUntilDelivered(RpcProxy betaProxy, Path config, int port, Path log,
                                                        TransferStore transfers, List<TokenTraffic.Sent> which) throws Exception {
        betaProxy.down(false);
        RelayerProcess relayer = RelayerProcess.start(config, port, log);
        try {
            RelayNetwork.awaitStatus(transfers, which, TransferStatus.DELIVERED, Duration.ofSeconds(60));
        } finally {
            relayer.close();
        }
    }

    /** The node's config: beta through {@code betaProxy}, the API on {@code port}, submitter settings overridden. */
    private static Path nodeConfig(RelayNetwork net, RpcProxy betaProxy, LocalCassandra db, String keyspace, Path dir,
                                   int port, Map<String, Object> submitterOverrides) throws Exception {
        Map<String, Object> map = net.configMap(db, keyspace, dir.resolve("keys"), 2);
        RelayNetwork.rpcUrl(map, RelayNetwork.BETA, betaProxy.url());
        RelayNetwork.courier(map).put("api", Map.of("host", "127.0.0.1", "port", port));
        @SuppressWarnings("unchecked")
        Map<String, Object> submitter = new java.util.HashMap<>((Map<String, Object>) RelayNetwork.courier(map).get("submitter"));
        submitter.putAll(submitterOverrides);
        RelayNetwork.courier(map).put("submitter", submitter);
        return RelayNetwork.writeConfig(ConfigFactory.parseMap(map), dir.resolve("node.conf"));
    }

    private static long minedNonce(LocalChain chain, Credentials signer) throws Exception {
        return chain.web3j().ethGetTransactionCount(signer.getAddress(), DefaultBlockParameterName.LATEST)
                .send().getTransactionCount().longValueExact();
    }

    private static void awaitMined(LocalChain chain, String txHash, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (chain.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt().isPresent()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("transaction " + txHash + " not mined within " + timeout);
    }

    /** An execute of {@code t} with every stored attestation, as the node would sign it (gas limit generous). */
    private static String signedExecute(CassandraStores stores, Transfer t, String gateway,
                                        Credentials signer, long nonce) throws Exception {
        List<byte[]> signatures = stores.attestations().list(t.id()).toCompletableFuture().get().stream()
                .sorted(Comparator.comparing((Attestation a) -> a.validator().toLowerCase()))
                .map(a -> Numeric.hexStringToByteArray(a.signature())).toList();
        RawTransaction tx = RawTransaction.createTransaction(RelayNetwork.BETA, BigInteger.valueOf(nonce),
                BigInteger.valueOf(1_000_000), gateway, BigInteger.ZERO, ExecuteCall.encode(t.message(), signatures),
                BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(50_000_000_000L));
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, RelayNetwork.BETA, signer));
    }

    private static Submission submission(Transfer t, Credentials signer, long nonce, String raw, Instant at) {
        return new Submission(RelayNetwork.BETA, Address.fromHex(signer.getAddress()), nonce, TxHash.fromHex(Hash.sha3(raw)), List.of(t.id()),
                BigInteger.valueOf(50_000_000_000L), BigInteger.valueOf(1_000_000_000L), 1_000_000, at, null, raw);
    }

    private static Transfer find(TransferStore store, TokenTraffic.Sent s) throws Exception {
        return store.find(MessageId.fromHex(s.messageId())).toCompletableFuture().get().orElseThrow();
    }


}
