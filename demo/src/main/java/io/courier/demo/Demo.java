package io.courier.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.config.NodeConfigLoader;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import io.courier.testkit.ProjectLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.web3j.crypto.ECKeyPair;
import org.web3j.utils.Numeric;

/**
 * {@code courier demo}: starts every part on this machine (two Ganache chains, a Cassandra node, the contracts,
 * a Courier node with its API), sends token transfers both ways, prints each state change, and with
 * {@code exitWhenDone} verifies every delivery on chain before saying {@code delivered N/N}.
 */
public final class Demo {

    public record Options(int transfers, boolean exitWhenDone, Duration timeout, int apiPort, int confirmations) {}

    static final long ALPHA = 1001;
    static final long BETA = 1002;
    private static final BigInteger UNIT = BigInteger.TEN.pow(18);

    private final Options options;
    private final PrintStream out;
    private final Instant started = Instant.now();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private DeliveryLedger ledger;

    public Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public int run() throws Exception {
        Thread hook = new Thread(this::close, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runDemo();
        } finally {
            close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running already
            }
        }
    }

    private int runDemo() throws Exception {
        Path work = ProjectLayout.workDir().resolve("demo-" + System.currentTimeMillis());
        step("starting Cassandra 5 (child JVM, ~10 s) and two Ganache chains");
        CompletableFuture<LocalCassandra> cassandra = CompletableFuture.supplyAsync(() ->
                LocalCassandra.start(LocalCassandra.Options.named("demo").dataDir(work.resolve("cassandra"))));
        LocalChain alpha = LocalChain.start(LocalChain.Options.chainId(ALPHA).blockTime(1).name("alpha"));
        toClose.add(alpha);
        LocalChain beta = LocalChain.start(LocalChain.Options.chainId(BETA).blockTime(1).name("beta"));
        toClose.add(beta);
        step("chains up: alpha (" + ALPHA + ") " + alpha.rpcUrl() + ", beta (" + BETA + ") " + beta.rpcUrl());

        List<ECKeyPair> validators = DemoNetwork.demoValidatorKeys(3);
        DemoNetwork network = DemoNetwork.deploy(List.of(alpha, beta), validators, 2);
        for (DemoNetwork.Deployment d : network.deployments()) {
            step("deployed on " + d.chain().name() + ": gateway " + d.gateway() + ", token " + d.token() + ", bridge " + d.bridge());
        }
        Config prices = DemoPrices.deploy(List.of(alpha, beta), List.of(
                new DemoPrices.Asset(ALPHA, "ETH", new java.math.BigDecimal("3000")),
                new DemoPrices.Asset(BETA, "POL", new java.math.BigDecimal("0.5"))));
        step("price feeds deployed: ETH on alpha, POL on beta (plus a static price each: two sources per token)");
        Config gasOracles = DemoGasOracles.deploy(network, work.resolve("keys"));
        step("gas oracles deployed and each gateway pointed at its own (Gateway.quoteFee); the node's updater keeps them priced");
        TokenTraffic traffic = new TokenTraffic(network);
        ledger = new DeliveryLedger(network);
        traffic.fundUser(UNIT.multiply(BigInteger.valueOf(1_000_000)));

        LocalCassandra db = cassandra.join();
        toClose.add(db);
        step("Cassandra up on " + db.contactPoint() + " in " + db.startTime().toMillis() + " ms");

        int port = freeOr(options.apiPort());
        Config config = prices.withFallback(gasOracles)
                .withFallback(DemoConfig.node(network, db, port, options.confirmations(), work.resolve("keys")));
        NodeConfig nodeConfig = NodeConfigLoader.fromEnvironment().load(config);
        CourierNode node = CourierNode.start(nodeConfig, Clock.systemUTC());
        toClose.add(0, node);
        out.println();
        out.println("  status API   " + node.apiUrl() + "/v1/chains");
        out.println("  a transfer   " + node.apiUrl() + "/v1/transfers/<messageId>");
        out.println("  metrics      " + node.apiUrl() + "/metrics");
        out.println("  validators   3 keys, threshold 2; confirmations " + options.confirmations() + " on both chains");
        out.println("               (a demo only: this one process holds every validator key. A real node refuses to");
        out.println("               start with threshold-many keys; each validator belongs to a separate operator.)");
        out.println("  quotes       " + node.apiUrl() + "/v1/quote?from=" + ALPHA + "&to=" + BETA + "&gasLimit="
                + DemoNetwork.HANDLER_GAS_LIMIT);
        DemoPrices.printQuote(out, node.apiUrl(), ALPHA, BETA, DemoNetwork.HANDLER_GAS_LIMIT.longValueExact(), "alpha->beta",
                Duration.ofSeconds(20));
        DemoPrices.printQuote(out, node.apiUrl(), BETA, ALPHA, DemoNetwork.HANDLER_GAS_LIMIT.longValueExact(), "beta->alpha",
                Duration.ofSeconds(5));
        DemoGasOracles.printOnChainQuote(out, network, ALPHA, BETA, DemoNetwork.HANDLER_GAS_LIMIT.longValueExact(), "alpha->beta",
                Duration.ofSeconds(20));
        out.println();

        Map<String, TokenTraffic.Sent> sent = new LinkedHashMap<>();
        Map<String, TransferStatus> seen = new HashMap<>();
        Instant deadline = Instant.now().plus(options.timeout());
        int target = options.transfers();
        int index = 0;
        Instant nextSend = Instant.now();
        while (!closed.get()) {
            boolean continuous = target == 0;
            if ((continuous && !Instant.now().isBefore(nextSend)) || (!continuous && index < target)) {
                long src = index % 2 == 0 ? ALPHA : BETA;
                long dst = src == ALPHA ? BETA : ALPHA;
                // the demo's routes are `required`: each transfer pays the node's quote, with 20 % headroom for gas prices
                // that move before its block is final (a transfer sent without a quote pays nothing and waits UNDERPAID)
                BigInteger fee = DemoPrices.fee(node.apiUrl(), src, dst, DemoNetwork.HANDLER_GAS_LIMIT.longValueExact())
                        .map(q -> q.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5))).orElse(BigInteger.ZERO);
                TokenTraffic.Sent s = traffic.lock(src, dst, UNIT.multiply(BigInteger.valueOf(index + 1)), fee);
                sent.put(s.messageId(), s);
                index++;
                nextSend = Instant.now().plusSeconds(3);
                line(s.messageId(), name(src) + "->" + name(dst), "sent " + (index) + " CTT in tx " + abbreviate(s.txHash())
                        + ", paid " + fee + " wei for delivery");
            }
            report(node, sent, seen);
            if (options.exitWhenDone() && index == target
                    && seen.values().stream().filter(st -> st == TransferStatus.DELIVERED).count() == target) {
                return verify(traffic, sent, node);
            }
            if (options.exitWhenDone() && Instant.now().isAfter(deadline)) {
                return stuck(sent, seen);
            }
            Thread.sleep(continuous || index == target ? 500 : 50);
        }
        return 130;
    }

    private void report(CourierNode node, Map<String, TokenTraffic.Sent> sent, Map<String, TransferStatus> seen) {
        for (TokenTraffic.Sent s : sent.values()) {
            TransferStatus before = seen.get(s.messageId());
            if (before != null && before.isTerminal()) {
                continue;
            }
            Transfer t = node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().join().orElse(null);
            if (t != null && t.status() != before) {
                seen.put(s.messageId(), t.status());
                String extra = switch (t.status()) {
                    case SENT -> "block " + t.source().blockNumber() + ", needs " + t.confirmationsRequired() + " confirmations";
                    case SUBMITTED -> "tx " + t.destinationTx().map(tx -> abbreviate(tx.toHex())).orElse("?");
                    case DELIVERED -> "in " + Duration.between(t.createdAt(), t.stageTime(TransferStatus.DELIVERED).orElse(Instant.now())).toMillis() + " ms";
                    case FAILED -> t.failure().orElse("");
                    default -> "";
                };
                line(s.messageId(), name(s.srcChainId()) + "->" + name(s.dstChainId()), t.status() + (extra.isEmpty() ? "" : "  " + extra)
                        + (t.status() == TransferStatus.SENT ? "  " + node.apiUrl() + "/v1/transfers/" + s.messageId() : ""));
                if (t.status() == TransferStatus.DELIVERED && t.destinationTx().isPresent()) {
                    showLanded(s.dstChainId(), t.destinationTx().get().toHex());
                }
            }
        }
    }

    private int verify(TokenTraffic traffic, Map<String, TokenTraffic.Sent> sent, CourierNode node) throws Exception {
        Map<Long, BigInteger> expected = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        for (TokenTraffic.Sent s : sent.values()) {
            int status = traffic.statusOnDestination(s);
            if (status != 1) {
                out.println("verification failed: " + s.messageId() + " has status " + status + " on chain " + s.dstChainId());
                return 1;
            }
            expected.merge(s.dstChainId() * 1_000_000 + s.srcChainId(), s.amount(), BigInteger::add);
            Transfer t = node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().join().orElseThrow();
            latencies.add(Duration.between(t.createdAt(), t.stageTime(TransferStatus.DELIVERED).orElseThrow()).toMillis());
        }
        for (Map.Entry<Long, BigInteger> e : expected.entrySet()) {
            long dst = e.getKey() / 1_000_000;
            long src = e.getKey() % 1_000_000;
            BigInteger minted = traffic.wrappedBalance(dst, src);
            BigInteger locked = traffic.lockedIn(src);
            if (!minted.equals(e.getValue()) || !locked.equals(e.getValue())) {
                out.println("verification failed: " + name(src) + "->" + name(dst) + " locked " + locked + ", minted " + minted
                        + ", expected " + e.getValue());
                return 1;
            }
        }
        latencies.sort(null);
        out.printf("verified on chain: every message executed once, locked = minted on both routes; SENT->DELIVERED p50 %d ms, max %d ms%n",
                latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
        out.printf("delivered %d/%d in %.1f s%n", sent.size(), sent.size(), Duration.between(started, Instant.now()).toMillis() / 1000.0);
        out.println("gas: " + ledger.summary());
        return 0;
    }

    private int stuck(Map<String, TokenTraffic.Sent> sent, Map<String, TransferStatus> seen) {
        Map<TransferStatus, Integer> byStatus = new EnumMap<>(TransferStatus.class);
        int unseen = 0;
        for (String id : sent.keySet()) {
            TransferStatus s = seen.get(id);
            if (s == null) {
                unseen++;
            } else {
                byStatus.merge(s, 1, Integer::sum);
            }
        }
        long delivered = byStatus.getOrDefault(TransferStatus.DELIVERED, 0);
        out.printf("timeout after %d s: delivered %d/%d; by state %s; never observed %d%n", options.timeout().toSeconds(),
                delivered, options.transfers(), byStatus, unseen);
        for (Map.Entry<String, TransferStatus> e : seen.entrySet()) {
            if (e.getValue() != TransferStatus.DELIVERED) {
                out.println("  stuck " + e.getKey() + " in " + e.getValue());
            }
        }
        return 1;
    }

    /** A destination transaction seen for the first time: how many messages it carried, by which path, at what gas. */
    private void showLanded(long dstChainId, String txHash) {
        try {
            ledger.first(dstChainId, txHash).ifPresent(l -> step(String.format("%s tx %s delivered %d message%s (%s): gas %,d, %,d a message",
                    l.chain(), abbreviate(l.txHash()), l.messages(), l.messages() == 1 ? "" : "s", l.path(), l.gasUsed(), l.gasPerMessage())));
        } catch (java.io.IOException e) {
            step("receipt of " + txHash + " not read: " + e.getMessage());
        }
    }

    private void step(String what) {
        out.printf("[%6.1fs] %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, what);
    }

    private void line(String id, String route, String what) {
        out.printf("[%6.1fs] %s %-11s %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, abbreviate(id), route, what);
    }

    private static String name(long chain) {
        return chain == ALPHA ? "alpha" : chain == BETA ? "beta" : Long.toString(chain);
    }

    private static String abbreviate(String hex) {
        return hex.length() > 14 ? hex.substring(0, 10) + "…" + hex.substring(hex.length() - 4) : hex;
    }

    private static int freeOr(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }

    /** Stops the node first, then the chains and Cassandra; safe to call twice (Ctrl-C and normal exit). */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                out.println("stopping " + c + " failed: " + e);
            }
        }
    }

    /** Writes a secret to a file only its owner can read. */
    static Path writeSecret(Path dir, String name, String hex) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        Files.writeString(file, hex);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort on non-POSIX file systems
        }
        return file;
    }

    static String hex(ECKeyPair key) {
        return Numeric.toHexStringNoPrefixZeroPadded(key.getPrivateKey(), 64);
    }
}
