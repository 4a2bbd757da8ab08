package io.courier.bench;

import com.typesafe.config.Config;
import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import io.courier.contracts.Gateway;
import io.courier.demo.DemoConfig;
import io.courier.demo.DemoNetwork;
import io.courier.demo.DestinationExecutions;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * {@code ./courier bench drain}: how long n messages take from the first send until every one is delivered and
 * verified executed once on chain — a real Courier node (started as {@code courier demo} starts it: two Ganache
 * chains, Cassandra, {@link CourierNode} with {@link DemoConfig}) against the naive Web3j relay (one {@code execute}
 * per message through the generated wrapper with {@link DefaultGasProvider}, sequential send-and-wait), in one run.
 *
 * <p>Both sides get the same kind of traffic on the same chains: n {@code Gateway.send}s of 96-byte payloads to a
 * {@code NoopRecipient}, pushed into the source chain's pool as fast as it takes them (raw transactions, consecutive
 * nonces), so the source's 1 s blocks decide when they exist. The naive relay has its own pair of gateways (same
 * validators and threshold) so the node never sees its messages. Source alpha mines a block a second (finality
 * needs blocks); destination beta mines a block per transaction, which favours the naive relay: with a block time
 * its send-and-wait costs a block per message. The naive relay runs first, then the node starts, so a node that does
 * not drain within the timeout still leaves the naive figure printed.
 *
 * <p>Courier's progress is watched on chain (the gateways' events), not by reading the node's Cassandra for every
 * message every few seconds, which on a 2-core machine would add load to what is measured.
 */
final class DrainBench {

    static final long ALPHA = 1001;
    static final long BETA = 1002;
    private static final int THRESHOLD = 2;
    private static final int SOURCE_CONFIRMATIONS = 1;
    private static final BigInteger SOURCE_GAS_PRICE = BigInteger.valueOf(20_000_000_000L);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(3);
    private static final int NAIVE_SENDER = 5;
    private static final int NAIVE_RELAYER = 4;

    record Options(int messages, Duration timeout) {
        static Options parse(String[] args) {
            int messages = 1000;
            Duration timeout = Duration.ofMinutes(15);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--messages" -> messages = positive("--messages", value, 10_000);
                    case "--timeout" -> timeout = Duration.ofSeconds(positive("--timeout", value, 24 * 3600));
                    default -> throw new BenchMain.Usage("courier bench drain [--messages N] [--timeout SECONDS], got " + args[i]);
                }
                i++;
            }
            return new Options(messages, timeout);
        }

        private static int positive(String option, String value, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new BenchMain.Usage(option + " takes a number in [1, " + max + "], got " + value);
        }
    }

    /** One side's figures: seconds from the first send to the last delivery, destination gas, its transactions. */
    record Result(double seconds, long gas, int transactions) {}

    private final PrintStream out;
    private final Options options;
    private final Instant started = Instant.now();
    private final Random random = new Random(20_261_205L);

    private DrainBench(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    static void run(PrintStream out, String[] args) throws Exception {
        new DrainBench(out, Options.parse(args)).measure();
    }

    private void measure() throws Exception {
        System.setProperty("courier.testkit.docker", System.getProperty("courier.testkit.docker", "false"));
        Path work = ProjectLayout.workDir().resolve("bench-drain-" + System.currentTimeMillis());
        step("starting Cassandra (child JVM) and two Ganache chains: alpha " + ALPHA + " (1 s blocks), beta " + BETA + " (a block per transaction)");
        CompletableFuture<LocalCassandra> cassandra = CompletableFuture.supplyAsync(() ->
                LocalCassandra.start(LocalCassandra.Options.named("bench").dataDir(work.resolve("cassandra"))));
        try (LocalChain alpha = LocalChain.start(LocalChain.Options.chainId(ALPHA).blockTime(1).name("alpha"));
             LocalChain beta = LocalChain.start(LocalChain.Options.chainId(BETA).name("beta"));
             LocalCassandra db = cassandra.join()) {
            List<ECKeyPair> validators = DemoNetwork.demoValidatorKeys(3);
            DemoNetwork network = DemoNetwork.deploy(List.of(alpha, beta), validators, THRESHOLD);
            String recipient = GasBench.deployRaw(beta, GasBench.binary("NoopRecipient"));
            // the naive relay's own gateways: the node watches only the network's, so it never takes the naive messages
            String naiveSrc = deployGateway(alpha, validators);
            String naiveDst = deployGateway(beta, validators);
            GasBench.spendNonceZero(alpha, LocalChain.account(DemoNetwork.USER));
            GasBench.spendNonceZero(alpha, LocalChain.account(NAIVE_SENDER));
            GasBench.spendNonceZero(beta, LocalChain.account(NAIVE_RELAYER));
            step("deployed: Courier's gateways " + network.on(ALPHA).gateway() + " -> " + network.on(BETA).gateway()
                    + ", naive's " + naiveSrc + " -> " + naiveDst + ", recipient NoopRecipient " + recipient);

            // naive first: its figure stands even when the node does not drain within the timeout
            Result naive = naive(alpha, beta, naiveSrc, naiveDst, validators, recipient);
            Result courier = courier(network, db, recipient, work);

            int n = options.messages();
            out.printf("bench: courier: %d destination transactions (%.1f messages each), gas per message %d; naive: %d transactions, "
                    + "gas per message %d%n", courier.transactions(), (double) n / courier.transactions(), perMessage(courier.gas(), n),
                    naive.transactions(), perMessage(naive.gas(), n));
            out.printf("bench: drain gas per message: courier=%d naive=%d%n", perMessage(courier.gas(), n), perMessage(naive.gas(), n));
            out.printf("bench drain: messages=%d courier=%.1f naive=%.1f%n", n, courier.seconds(), naive.seconds());
        }
    }

    // ── courier: a real node ──────────────────────────────────────────────────────────────────────

    private Result courier(DemoNetwork network, LocalCassandra db, String recipient, Path work) throws Exception {
        Config config = DemoConfig.node(network, db, freePort(), SOURCE_CONFIRMATIONS, work.resolve("keys"));
        try (CourierNode node = CourierNode.start(NodeConfigLoader.fromEnvironment().load(config), Clock.systemUTC())) {
            // the node's watchers take their first look at the chains; a message sent before that is found all the same,
            // but its wait would be the node's start-up, not its drain
            Thread.sleep(3_000);
            step("node up (" + node.apiUrl() + "), batching as reference.conf sets it, Cassandra native protocol "
                    + node.cqlProtocol() + " (courier.cassandra.protocol-version); sending " + options.messages() + " messages alpha -> beta");
            LocalChain beta = network.on(BETA).chain();
            long betaFrom = beta.blockNumber() + 1;
            Instant first = Instant.now();
            List<String> sends = broadcast(network.on(ALPHA).chain(), network.on(ALPHA).gateway(), LocalChain.account(DemoNetwork.USER),
                    recipient, "courier");
            // the sends' receipts are read after the drain: read during it, 1000 receipt polls of the source would
            // compete with the node's own reads of it (the naive relay reads them as part of its relaying)
            awaitExecuted(node, network, first);
            List<CrossChainMessage> messages = messagesOf(network.on(ALPHA).chain(), network.on(ALPHA).gateway(), sends, "courier",
                    first.plus(options.timeout()));
            Instant last = awaitDelivered(node, messages, first);
            verifyOnce(List.of(network.on(ALPHA), network.on(BETA)), messages, "courier");
            double seconds = Duration.between(first, last).toMillis() / 1000.0;
            step(String.format("courier: all %d DELIVERED and executed once on chain, %.1f s after the first send", messages.size(), seconds));
            long[] gas = gasOf(beta, betaFrom, LocalChain.account(DemoNetwork.SUBMITTER).getAddress());
            stages(transfers(node, messages), first).forEach(line -> out.println("bench: courier: " + line));
            out.println("bench: courier: JSON-RPC calls by chain and method (count, summed latency s): " + rpcCalls(node));
            return new Result(seconds, gas[0], (int) gas[1]);
        }
    }

    /** The node's JSON-RPC calls during the run, from its own histogram: where the chains' time went. */
    private static String rpcCalls(CourierNode node) {
        java.util.Map<String, double[]> byMethod = new java.util.TreeMap<>();
        for (var point : node.metrics().rpcDuration.collect().getDataPoints()) {
            String key = point.getLabels().get("chain") + " " + point.getLabels().get("method");
            double[] acc = byMethod.computeIfAbsent(key, k -> new double[2]);
            acc[0] += point.getCount();
            acc[1] += point.getSum();
        }
        StringBuilder line = new StringBuilder();
        byMethod.forEach((k, v) -> line.append(String.format("%s %.0f %.1f; ", k, v[0], v[1])));
        return line.toString();
    }

    /**
     * Waits until n messages are executed on beta by the network's gateway (its events: three log queries a look, so
     * the watching does not load the node's Cassandra; only this run's messages go there).
     */
    private void awaitExecuted(CourierNode node, DemoNetwork network, Instant first) throws Exception {
        Instant deadline = first.plus(options.timeout());
        List<DemoNetwork.Deployment> route = List.of(network.on(ALPHA), network.on(BETA));
        Instant nextReport = Instant.now();
        int n = options.messages();
        while (true) {
            long executed = DestinationExecutions.count(route).values().stream().filter(c -> c > 0).count();
            if (executed >= n) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException(String.format("courier: after %d s only %d/%d executed on chain %d; the node's open transfers: %s",
                        options.timeout().toSeconds(), executed, n, BETA, node.transfers().open(BETA, java.time.LocalDate.now().minusDays(1),
                                java.time.LocalDate.now().plusDays(1), 10_000).toCompletableFuture().join().stream()
                                .collect(java.util.stream.Collectors.groupingBy(t -> t.status().name(), java.util.stream.Collectors.counting()))));
            }
            if (!Instant.now().isBefore(nextReport)) {
                step(String.format("courier: %d/%d executed on beta", executed, n));
                nextReport = Instant.now().plus(PROGRESS_EVERY);
            }
            Thread.sleep(1_000);
        }
    }

    /** Waits until the node's store has every message DELIVERED; the time the node recorded the last one. */
    private Instant awaitDelivered(CourierNode node, List<CrossChainMessage> messages, Instant first) throws Exception {
        Instant deadline = first.plus(options.timeout());
        while (true) {
            Map<MessageId, Instant> delivered = new HashMap<>();
            Map<TransferStatus, Integer> open = new EnumMap<>(TransferStatus.class);
            for (Transfer t : transfers(node, messages)) {
                if (t.status() == TransferStatus.DELIVERED) {
                    delivered.put(t.id(), t.stageTime(TransferStatus.DELIVERED).orElseThrow());
                } else if (t.status() == TransferStatus.FAILED) {
                    throw new IllegalStateException("courier: message " + t.id().toHex() + " FAILED: " + t.failure().orElse("no reason recorded"));
                } else {
                    open.merge(t.status(), 1, Integer::sum);
                }
            }
            if (delivered.size() == messages.size()) {
                return delivered.values().stream().max(Comparator.naturalOrder()).orElseThrow();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException(String.format("courier: after %d s all executed on chain but only %d/%d DELIVERED in the node's store; "
                        + "the others %s", options.timeout().toSeconds(), delivered.size(), messages.size(), open));
            }
            step(String.format("courier: all executed on beta; %d/%d DELIVERED in the node's store, the others %s", delivered.size(),
                    messages.size(), open));
            Thread.sleep(1_000);
        }
    }

    /**
     * Where the node's time went, from its own records (read once, after the drain): per stage, when the first, half,
     * 90% and all of the messages had entered it (seconds after the first send); how the destination transactions
     * were filled; and how ordered the attestations came — of the messages in the order they were ATTESTED, the share
     * whose nonce is the one after the previous message's (1.0 is nonce order, the order contiguous ranges need).
     */
    static List<String> stages(List<Transfer> delivered, Instant first) {
        List<String> lines = new ArrayList<>();
        StringBuilder times = new StringBuilder("stage times, s after the first send (first / 50% / 90% / all):");
        for (TransferStatus stage : List.of(TransferStatus.SENT, TransferStatus.FINALIZED, TransferStatus.ATTESTED, TransferStatus.SUBMITTED,
                TransferStatus.DELIVERED)) {
            List<Double> at = delivered.stream().map(t -> t.stageTime(stage)).flatMap(Optional::stream)
                    .map(i -> Duration.between(first, i).toMillis() / 1000.0).sorted().toList();
            if (!at.isEmpty()) {
                times.append(String.format(" %s %.1f/%.1f/%.1f/%.1f;", stage, at.get(0), quantile(at, 0.5), quantile(at, 0.9),
                        at.get(at.size() - 1)));
            }
        }
        lines.add(times.toString());
        Map<String, Integer> byTx = new HashMap<>();
        delivered.forEach(t -> t.destinationTx().ifPresent(h -> byTx.merge(h.toHex(), 1, Integer::sum)));
        List<Integer> sizes = byTx.values().stream().sorted().toList();
        if (!sizes.isEmpty()) {
            lines.add(String.format("destination transactions by messages carried: %d transactions, min %d, median %.0f, max %d; %d carried 1, "
                    + "%d carried 2-15, %d carried 16-63, %d carried 64+", sizes.size(), sizes.get(0),
                    quantile(sizes.stream().map(Integer::doubleValue).toList(), 0.5), sizes.get(sizes.size() - 1),
                    sizes.stream().filter(n -> n == 1).count(), sizes.stream().filter(n -> n >= 2 && n < 16).count(),
                    sizes.stream().filter(n -> n >= 16 && n < 64).count(), sizes.stream().filter(n -> n >= 64).count()));
        }
        List<Transfer> byAttested = delivered.stream().filter(t -> t.stageTime(TransferStatus.ATTESTED).isPresent())
                .sorted(Comparator.comparing((Transfer t) -> t.stageTime(TransferStatus.ATTESTED).orElseThrow())).toList();
        long successors = 0;
        for (int i = 1; i < byAttested.size(); i++) {
            if (byAttested.get(i).message().nonce() == byAttested.get(i - 1).message().nonce() + 1) {
                successors++;
            }
        }
        if (byAttested.size() > 1) {
            lines.add(String.format("attestation order: %.2f of the messages were ATTESTED right after their nonce predecessor",
                    (double) successors / (byAttested.size() - 1)));
        }
        return lines;
    }

    private static double quantile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** The node's records of the messages (100 reads at a time); a message the node has not seen is left out. */
    private static List<Transfer> transfers(CourierNode node, List<CrossChainMessage> messages) {
        List<Transfer> found = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += 100) {
            List<CompletableFuture<Optional<Transfer>>> reads = messages.subList(from, Math.min(messages.size(), from + 100)).stream()
                    .map(m -> node.transfers().find(m.id()).toCompletableFuture()).toList();
            reads.forEach(r -> r.join().ifPresent(found::add));
        }
        return found;
    }

    // ── naive: one Web3j execute per message ─────────────────────────────────────────────────────────

    private Result naive(LocalChain alpha, LocalChain beta, String srcGateway, String dstGateway, List<ECKeyPair> validators,
                         String recipient) throws Exception {
        step("naive: sending " + options.messages() + " messages alpha -> beta on its own gateways; relaying each with one Web3j execute");
        // what the developer writes: the generated wrapper, their key, Web3j's default gas provider; send() waits for the receipt
        Gateway gateway = Gateway.load(dstGateway, beta.web3j(), LocalChain.account(NAIVE_RELAYER), new DefaultGasProvider());
        List<ECKeyPair> signers = validators.stream().sorted(Comparator.comparing(GasBench::address)).toList().subList(0, THRESHOLD);
        Instant first = Instant.now();
        // the naive relay learns its messages from the sends' receipts, one after the other: part of its relaying
        List<String> sends = broadcast(alpha, srcGateway, LocalChain.account(NAIVE_SENDER), recipient, "naive");
        Instant deadline = first.plus(options.timeout());
        List<CrossChainMessage> messages = messagesOf(alpha, srcGateway, sends, "naive", deadline);
        Instant nextReport = Instant.now().plus(PROGRESS_EVERY);
        long gas = 0;
        int done = 0;
        for (CrossChainMessage m : messages) {
            List<byte[]> signatures = signers.stream()
                    .map(k -> ValidatorSignature.sign(AttestationDigest.of(m, dstGateway), k).bytes()).toList();
            TransactionReceipt receipt = gateway.execute(BigInteger.valueOf(m.srcChainId()), m.srcGateway(), BigInteger.valueOf(m.nonce()),
                    m.sender(), m.recipient(), m.payload(), signatures).send();
            GasBench.requireDelivered(receipt, 1);
            gas += receipt.getGasUsed().longValueExact();
            done++;
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException(String.format("naive: after %d s only %d/%d executed", options.timeout().toSeconds(), done, messages.size()));
            }
            if (!Instant.now().isBefore(nextReport)) {
                step(String.format("naive: %d/%d executed", done, messages.size()));
                nextReport = Instant.now().plus(PROGRESS_EVERY);
            }
        }
        Instant last = Instant.now();
        DemoNetwork.Deployment src = new DemoNetwork.Deployment(alpha, srcGateway.toLowerCase(), "", "", Map.of());
        DemoNetwork.Deployment dst = new DemoNetwork.Deployment(beta, dstGateway.toLowerCase(), "", "", Map.of());
        verifyOnce(List.of(src, dst), messages, "naive");
        double seconds = Duration.between(first, last).toMillis() / 1000.0;
        step(String.format("naive: all %d executed once on chain, %.1f s after the first send", messages.size(), seconds));
        return new Result(seconds, gas, messages.size());
    }

    // ── shared ──────────────────────────────────────────────────────────────────────────────────────

    /**
     * {@code Gateway.send} n times from {@code who}, as fast as the source takes them: signed raw transactions at
     * consecutive nonces pushed into its pool without waiting; their hashes in nonce order.
     */
    private List<String> broadcast(LocalChain chain, String gatewayAddress, Credentials who, String recipient, String side)
            throws Exception {
        Gateway gateway = Gateway.load(gatewayAddress, chain.web3j(), who, DemoNetwork.gas());
        String probe = gateway.send(BigInteger.valueOf(BETA), recipient, GasBench.payload(random), BigInteger.ZERO).encodeFunctionCall();
        BigInteger estimate = chain.web3j().ethEstimateGas(Transaction.createEthCallTransaction(who.getAddress(), gatewayAddress, probe))
                .send().getAmountUsed();
        BigInteger gasLimit = estimate.multiply(BigInteger.valueOf(13)).divide(BigInteger.TEN);
        BigInteger nonce = chain.web3j().ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < options.messages(); i++) {
            String data = gateway.send(BigInteger.valueOf(BETA), recipient, GasBench.payload(random), BigInteger.ZERO).encodeFunctionCall();
            RawTransaction tx = RawTransaction.createTransaction(nonce.add(BigInteger.valueOf(i)), SOURCE_GAS_PRICE, gasLimit, gatewayAddress, data);
            EthSendTransaction sent = chain.web3j()
                    .ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, chain.chainId(), who))).send();
            if (sent.hasError()) {
                throw new IllegalStateException(side + ": chain " + chain.chainId() + " refused send " + i + ": " + sent.getError().getMessage());
            }
            hashes.add(sent.getTransactionHash());
        }
        step(side + ": " + hashes.size() + " sends in alpha's pool (gas limit " + gasLimit + " each)");
        return hashes;
    }

    /** The messages of the sends {@code hashes}, read back from their receipts' logs, in nonce order. */
    private List<CrossChainMessage> messagesOf(LocalChain chain, String gatewayAddress, List<String> hashes, String side, Instant deadline)
            throws Exception {
        List<CrossChainMessage> messages = new ArrayList<>();
        for (String hash : hashes) {
            TransactionReceipt receipt;
            while ((receipt = chain.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt().orElse(null)) == null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new TimeoutException(side + ": send " + hash + " not mined on chain " + chain.chainId() + " after "
                            + options.timeout().toSeconds() + " s (" + messages.size() + "/" + hashes.size() + " mined)");
                }
                Thread.sleep(100);
            }
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException(side + ": send " + hash + " reverted on chain " + chain.chainId());
            }
            Gateway.MessageSentEventResponse e = Gateway.getMessageSentEvents(receipt).get(0);
            messages.add(new CrossChainMessage(chain.chainId(), gatewayAddress, e.nonce.longValueExact(), e.dstChainId.longValueExact(),
                    e.sender, e.recipient, e.payload));
            if (!messages.get(messages.size() - 1).id().toHex().equalsIgnoreCase(Numeric.toHexString(e.id))) {
                throw new IllegalStateException(side + ": message id computed here differs from the gateway's for " + hash);
            }
        }
        step(side + ": all " + messages.size() + " sends mined");
        return messages;
    }

    /** Every message executed exactly once on its destination gateway, by the gateways' own events. */
    private static void verifyOnce(List<DemoNetwork.Deployment> deployments, List<CrossChainMessage> messages, String side) throws IOException {
        Map<String, Integer> executions = DestinationExecutions.count(deployments);
        Map<String, Integer> wrong = new LinkedHashMap<>();
        for (CrossChainMessage m : messages) {
            int n = executions.getOrDefault(m.id().toHex().toLowerCase(), 0);
            if (n != 1) {
                wrong.put(m.id().toHex(), n);
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(side + ": " + wrong.size() + " messages not executed exactly once on chain " + BETA
                    + " (id = executions, first few): " + wrong.entrySet().stream().limit(5).toList());
        }
    }

    /** Gas used by {@code from}'s transactions in blocks {@code fromBlock}..head, and how many there were. */
    private static long[] gasOf(LocalChain chain, long fromBlock, String from) throws IOException {
        long gas = 0;
        long transactions = 0;
        long head = chain.blockNumber();
        for (long n = fromBlock; n <= head; n++) {
            EthBlock.Block block = chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), true).send().getBlock();
            for (EthBlock.TransactionResult<?> r : block.getTransactions()) {
                org.web3j.protocol.core.methods.response.Transaction tx = (org.web3j.protocol.core.methods.response.Transaction) r.get();
                if (tx.getFrom().equalsIgnoreCase(from)) {
                    gas += chain.web3j().ethGetTransactionReceipt(tx.getHash()).send().getTransactionReceipt().orElseThrow().getGasUsed()
                            .longValueExact();
                    transactions++;
                }
            }
        }
        return new long[] {gas, transactions};
    }

    private static String deployGateway(LocalChain chain, List<ECKeyPair> validators) throws Exception {
        return Gateway.deploy(chain.web3j(), DemoNetwork.transactions(chain, LocalChain.account(DemoNetwork.DEPLOYER)), DemoNetwork.gas(),
                DemoNetwork.addresses(validators), BigInteger.valueOf(THRESHOLD), DemoNetwork.HANDLER_GAS_LIMIT).send().getContractAddress()
                .toLowerCase();
    }

    private static long perMessage(long gas, int messages) {
        return Math.round((double) gas / messages);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void step(String what) {
        out.printf("[%6.1fs] %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, what);
    }
}
