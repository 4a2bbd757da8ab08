package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import io.courier.chain.web3j.ChainClientSettings;
import io.courier.chain.web3j.Web3jChainClient;
import io.courier.contracts.Gateway;
import io.courier.fees.FeeMode;
import io.courier.fees.FeeSettings;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.config.NodeConfig.BatchSettings;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import io.courier.relayer.handoff.CheckpointRequests;
import io.courier.relayer.signing.ValidatorKeys;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.submitfakes.InMemoryAttestationStore;
import io.courier.relayer.submitfakes.InMemorySubmissionStore;
import io.courier.relayer.submitfakes.InMemoryTransferStore;
import io.courier.relayer.submitfakes.Transfers;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.courier.testkit.LocalChain;
import io.courier.testkit.rpc.RpcProxy;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * Fee bumps against a real Ganache (issue 10, part 3): the submitter actor with the node's chain adapter, a deployed
 * gateway and recipient, in-memory stores. The destination is congested the way a busy chain is: every block is
 * filled (a 30M-gas block of one burner that outbids everyone plus one zero-tip filler), so the base fee rises 12.5% a
 * block and the submitter's transaction, priced for a calmer market, stays unmined. Proven on the wire (every
 * {@code eth_sendRawTransaction} the submitter made, decoded) and on chain (the gateway's {@code MessageDelivered}):
 * the replacement keeps the nonce, raises both fee fields by at least 12.5%, stays under the chain's caps, is made
 * at most max-bumps times, and the message is executed once; with max-bumps reached the transaction is left alone and
 * {@code courier_fee_bumps_exhausted} says so.
 *
 * <p>Ganache mines only when told ({@code miner_stop}, then {@code evm_mine} per block), so the blocks the submitter
 * sees pass are the test's, not a clock's. The submitter's own timers are real (receipt poll 200 ms).
 */
class FeeBumpIT {

    private static final long DST = Transfers.DST;
    private static final String CHAIN = "beta";
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    /**
     * The block gas limit of Ganache 7 (30M) less the filler's 21,000 and 1,000 of slack (with exactly 21,000 left
     * Ganache 7.9 did not take the filler): the two fill a block to 99.997%, the base fee rises 12.5%, and no
     * transaction of the submitter (an execute needs far more than 22,000) fits after the burner.
     */
    private static final BigInteger BURNER_GAS = BigInteger.valueOf(30_000_000 - 21_000 - 1_000);
    /** With the filler, a block at the EIP-1559 target (15M of 30M): the base fee stays where it is. */
    private static final BigInteger TARGET_BURNER_GAS = BigInteger.valueOf(15_000_000 - 21_000);
    /** A contract whose code is INVALID (0xfe): a call burns all the gas it is given at once (a loop would take seconds). */
    private static final String BURNER_INIT = "0x60fe60005360016000f3";
    private static final BigInteger CAP_MAX_FEE = GWEI.multiply(BigInteger.valueOf(200));
    private static final BigInteger CAP_TIP = GWEI.multiply(BigInteger.valueOf(10));
    /** The burner outbids any tip the submitter may pay (its cap), so the burner, not the submitter's transaction, fills the block. */
    private static final BigInteger BURNER_TIP = GWEI.multiply(BigInteger.valueOf(100));
    private static final int BUMP_AFTER_BLOCKS = 2;
    private static final BigDecimal MIN_RAISE = new BigDecimal("1.125");

    private final Credentials deployer = LocalChain.account(1);
    private final Credentials signer = LocalChain.account(2);
    private final String burnerFrom = LocalChain.account(3).getAddress();
    private final String fillerFrom = LocalChain.account(4).getAddress();

    private LocalChain chain;
    private RpcProxy proxy;
    private ScheduledExecutorService scheduler;
    private Web3jChainClient client;
    private ActorTestKit kit;
    private String gateway;
    private String recipient;
    private String burner;
    /** Every raw transaction the submitter broadcast, in order (rebroadcasts included). */
    private final List<String> broadcasts = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final InMemoryTransferStore transfers = new InMemoryTransferStore();
    private final InMemoryAttestationStore attestations = new InMemoryAttestationStore();
    private final InMemorySubmissionStore submissions = new InMemorySubmissionStore();
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CourierMetrics metrics = new CourierMetrics(registry);

    @BeforeEach
    void start() throws Exception {
        chain = LocalChain.start(LocalChain.Options.chainId(DST).name("bump-" + CHAIN));
        proxy = RpcProxy.start(chain.rpcUrl());
        proxy.rewriteResult("eth_sendRawTransaction", (params, result) -> {
            broadcasts.add(params.get(0).asText());
            return result;
        });
        gateway = Gateway.deploy(chain.web3j(), new RawTransactionManager(chain.web3j(), deployer, DST),
                new StaticGasProvider(GWEI.multiply(BigInteger.TEN), BigInteger.valueOf(8_000_000)), Transfers.validatorSet(),
                BigInteger.TWO, BigInteger.valueOf(300_000)).send().getContractAddress().toLowerCase();
        recipient = deploy(solcBinary("NoopRecipient"));
        burner = deploy(BURNER_INIT);
        scheduler = Executors.newScheduledThreadPool(2);
        client = Web3jChainClient.create(ChainClientSettings.of(CHAIN, DST, proxy.url()), scheduler);
        kit = ActorTestKit.create();
    }

    @AfterEach
    void stop() throws Exception {
        if (kit != null) {
            kit.shutdownTestKit();
        }
        if (client != null) {
            client.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void aTransactionLeftUnminedIsReplacedAtTheSameNonceWithBothFeesRaisedAndDeliveredOnce() throws Exception {
        int maxBumps = 5;
        startSubmitter(maxBumps);
        Transfer t = attested(1);

        // congested until two replacements were made and the market has passed every attempt but the newest
        List<Attempt> attempts = congestUntil(this::onlyTheNewestMineable, 60);
        assertThat(status(t)).isEqualTo(TransferStatus.SUBMITTED);
        // the base fee stops rising (blocks at the target): the newest replacement, priced for this market, is mined
        List<Attempt> all = mineUntilDelivered(t, TARGET_BURNER_GAS);

        assertReplacementsOfOneNonce(all, maxBumps);
        assertThat(all).as("attempts seen while congested, then in all").isEqualTo(attempts);
        Transfer delivered = transfers.get(t.id());
        assertThat(delivered.status()).isEqualTo(TransferStatus.DELIVERED);
        TxHash mined = delivered.destinationTx().orElseThrow();
        assertThat(all.stream().map(Attempt::hash).toList()).as("the mined transaction is one of the attempts").contains(mined.toHex());
        assertThat(mined.toHex()).as("the newest replacement is the one mined").isEqualTo(all.get(all.size() - 1).hash());
        for (Attempt replaced : all.subList(0, all.size() - 1)) {
            assertThat(receipt(replaced.hash())).as("receipt of the replaced " + replaced.hash()).isEmpty();
        }
        assertThat(executions(t)).as("executions of %s on chain %d", t.id(), DST).isEqualTo(1);
        assertThat(metrics.feeBumps.labelValues(CHAIN).get()).as("courier_fee_bumps_total").isEqualTo(all.size() - 1);
        assertThat(exhaustedGauge()).as("courier_fee_bumps_exhausted").isZero();
    }

    @Test
    void withMaxBumpsMadeTheTransactionIsLeftAloneAndTheMetricSaysSo() throws Exception {
        int maxBumps = 2;
        startSubmitter(maxBumps);
        Transfer t = attested(1);

        congestUntil(() -> exhaustedGauge() >= 1, 80);
        List<Attempt> atExhaustion = distinctAttempts();
        assertThat(atExhaustion).as("the first transaction and its %d replacements", maxBumps).hasSize(maxBumps + 1);
        // left alone: several more bump windows of the same congestion bring no other transaction at that nonce
        congest(4 * BUMP_AFTER_BLOCKS + 2);
        assertThat(latestBaseFee()).as("the base fee, above the last attempt's max fee %s", newest()).isGreaterThan(newest().maxFee());
        assertThat(distinctAttempts()).as("attempts after the last allowed bump").isEqualTo(atExhaustion);
        assertThat(exhaustedGauge()).as("courier_fee_bumps_exhausted while it waits").isEqualTo(1.0);
        assertThat(status(t)).isEqualTo(TransferStatus.SUBMITTED);

        // once the market falls to its price (empty blocks), the transaction left alone is mined: delivered once, the
        // alert clears
        List<Attempt> all = mineUntilDelivered(t, BigInteger.ZERO);
        assertThat(all).as("no attempt after exhaustion").isEqualTo(atExhaustion);
        assertReplacementsOfOneNonce(all, maxBumps);
        assertThat(transfers.get(t.id()).destinationTx().orElseThrow().toHex()).isEqualTo(all.get(all.size() - 1).hash());
        assertThat(executions(t)).as("executions of %s on chain %d", t.id(), DST).isEqualTo(1);
        assertThat(metrics.feeBumps.labelValues(CHAIN).get()).as("courier_fee_bumps_total").isEqualTo(maxBumps);
        assertThat(exhaustedGauge()).as("courier_fee_bumps_exhausted once it is mined").isZero();
    }

    /**
     * A restart in the middle of the bumps (the actor stopped and a new one started over the same stores, as after a
     * kill -9): the transaction recorded before it is still replaced at its nonce, its receipt asked under every attempt,
     * and the bumps made before the restart count against max-bumps (a restart does not buy more of them).
     */
    @Test
    void afterARestartTheRecordedTransactionIsStillBumpedAndEarlierBumpsCount() throws Exception {
        int maxBumps = 3;
        ActorRef<Submitter.Command> first = startSubmitter(maxBumps);
        Transfer t = attested(1);
        congestUntil(() -> distinctAttempts().size() >= 2, 60);
        kit.stop(first);
        int beforeRestart = distinctAttempts().size();
        assertThat(beforeRestart).as("attempts before the restart").isBetween(2, maxBumps);

        startSubmitter(maxBumps);
        congestUntil(() -> exhaustedGauge() >= 1, 80);
        List<Attempt> atExhaustion = distinctAttempts();
        assertThat(atExhaustion).as("the first transaction and its %d replacements, %d of them before the restart", maxBumps,
                beforeRestart - 1).hasSize(maxBumps + 1);
        assertThat(status(t)).isEqualTo(TransferStatus.SUBMITTED);

        List<Attempt> all = mineUntilDelivered(t, BigInteger.ZERO);
        assertThat(all).as("no attempt after exhaustion").isEqualTo(atExhaustion);
        assertReplacementsOfOneNonce(all, maxBumps);
        assertThat(executions(t)).as("executions of %s on chain %d", t.id(), DST).isEqualTo(1);
    }

    // ── the submitter ───────────────────────────────────────────────────────────────────────────────

    /**
     * The submitter as the node wires it, over in-memory stores. Reward percentile 0: the market's tip is what the
     * cheapest transaction of a block paid (the zero-tip filler), so each replacement's tip is the 12.5% raise itself
     * rather than a jump to the tip cap, and max-bumps, not the cap, ends the raises.
     */
    private ActorRef<Submitter.Command> startSubmitter(int maxBumps) {
        FeeSettings fees = new FeeSettings(10, 0, GWEI, 3, CAP_MAX_FEE, CAP_TIP, BUMP_AFTER_BLOCKS, new BigDecimal("12.5"), maxBumps,
                FeeMode.EIP1559);
        Duration never = Duration.ofHours(1);
        SubmitterSettings settings = new SubmitterSettings(Optional.empty(), 1_500_000, 16, Duration.ofMillis(200),
                Duration.ofSeconds(30), 1, Duration.ofMillis(500), never, BatchSettings.OFF);
        ValidatorKeys keys = Transfers.keys(1);
        Submitter.Wiring wiring = new Submitter.Wiring(DST, CHAIN, Address.fromHex(gateway), client, signer, settings, fees, transfers,
                attestations, submissions, keys, t -> { }, CheckpointRequests.NONE, metrics, new TransferTracing(OpenTelemetry.noop()),
                Clock.systemUTC(), new HaltedChains(), StepDeadlines.STAGE_DEADLINE);
        // from here on nothing is mined unless the test mines it
        chain.stopMining();
        return kit.spawn(Submitter.create(wiring));
    }

    /** An ATTESTED message to the recipient, with every validator's signature for this gateway; the sweep finds it. */
    private Transfer attested(long nonce) {
        Instant now = Instant.now();
        CrossChainMessage m = new CrossChainMessage(Transfers.SRC, Transfers.SRC_GATEWAY, nonce, DST, "0x" + "22".repeat(20), recipient,
                ("bump me " + nonce).getBytes(StandardCharsets.UTF_8));
        Transfer t = Transfer.observed(m, new SourceRef(TxHash.fromHex("0x" + "aa".repeat(32)), 120, BlockHash.fromHex("0x" + "bb".repeat(32)),
                        (int) nonce), 1, now)
                .next(new TransferEvent.Finalized(1), now).next(new TransferEvent.Attested(2), now);
        transfers.put(t);
        ValidatorKeys all = Transfers.keys(3);
        all.sign(t.id(), all.digest(t.id(), DST, gateway), now).forEach(attestations::put);
        return t;
    }

    private TransferStatus status(Transfer t) {
        return transfers.get(t.id()).status();
    }

    // ── the destination's market ─────────────────────────────────────────────────────────────────────

    /** Full blocks, one at a time, until {@code done} (checked after each block) or {@code maxBlocks}; the attempts then. */
    private List<Attempt> congestUntil(BooleanSupplier done, int maxBlocks) throws Exception {
        awaitCondition(() -> !broadcasts.isEmpty(), Duration.ofSeconds(60), "the submitter's first broadcast");
        for (int i = 0; i < maxBlocks && !done.getAsBoolean(); i++) {
            fullBlock();
        }
        assertThat(done.getAsBoolean()).as("after %d full blocks; attempts %s, blocks %s", maxBlocks, distinctAttempts(), blocks()).isTrue();
        return distinctAttempts();
    }

    private void congest(int blocks) throws Exception {
        for (int i = 0; i < blocks; i++) {
            fullBlock();
        }
    }

    private void fullBlock() throws Exception {
        block(BURNER_GAS);
    }

    /**
     * One block: a burner of {@code burnerGas} (none if zero; it outbids every tip the submitter may pay, so it goes
     * first) and a 21,000-gas filler with no tip. {@link #BURNER_GAS} fills the block (nothing else fits, the base
     * fee rises 12.5%), {@link #TARGET_BURNER_GAS} fills it to the EIP-1559 target (the base fee stays), zero leaves
     * it nearly empty (the base fee falls 12.5%). Then a pause for the submitter to see the new head (its receipt poll
     * runs every 200 ms; the pause only gives it the chance, nothing is timed).
     */
    private void block(BigInteger burnerGas) throws Exception {
        BigInteger maxFee = GWEI.multiply(BigInteger.valueOf(10_000));
        if (burnerGas.signum() > 0) {
            chain.call("eth_sendTransaction", List.of(Map.of("from", burnerFrom, "to", burner, "gas", hex(burnerGas),
                    "maxFeePerGas", hex(maxFee), "maxPriorityFeePerGas", hex(BURNER_TIP))));
        }
        chain.call("eth_sendTransaction", List.of(Map.of("from", fillerFrom, "to", fillerFrom, "gas", hex(BigInteger.valueOf(21_000)),
                "maxFeePerGas", hex(maxFee), "maxPriorityFeePerGas", "0x0")));
        chain.mine(1);
        Thread.sleep(600);
    }

    /**
     * The congestion ends: blocks with {@code burnerGas} (see {@link #block}), one at a time, until the transfer is
     * DELIVERED.
     *
     * <p>Released so that only the newest attempt can be mined: Ganache 7.9.2 does not drop a replaced transaction
     * from its pool (ConsenSys-archive/ganache#3794: "mines two different transactions with the same from and
     * nonce"); when the base fee fell under all three attempts at once, it mined all three in one block, the first
     * and cheapest one first (status 1) and its two replacements after it (status 0, a replay revert), so the
     * newest's receipt said reverted. On a real chain only one transaction per nonce is ever mined.
     */
    private List<Attempt> mineUntilDelivered(Transfer t, BigInteger burnerGas) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (status(t) != TransferStatus.DELIVERED) {
            assertThat(status(t)).as("status of %s: %s; attempts %s; blocks %s", t.id(), transfers.get(t.id()).failure().orElse(""),
                            distinctAttempts(), blocks())
                    .isNotEqualTo(TransferStatus.FAILED);
            assertThat(Instant.now()).as("DELIVERED after the congestion; status %s, attempts %s, blocks %s", status(t), distinctAttempts(),
                    blocks()).isBefore(deadline);
            block(burnerGas);
        }
        return distinctAttempts();
    }

    // ── what was sent, what was mined ────────────────────────────────────────────────────────────────

    /** One signed transaction of the submitter as broadcast. */
    record Attempt(String hash, BigInteger nonce, BigInteger maxFee, BigInteger tip) {}

    /** The submitter's broadcasts, decoded, each transaction once (a rebroadcast is the same hash), in order. */
    private List<Attempt> distinctAttempts() {
        Map<String, Attempt> byHash = new LinkedHashMap<>();
        for (String raw : broadcasts) {
            String hash = Hash.sha3(raw).toLowerCase();
            RawTransaction tx = TransactionDecoder.decode(raw);
            Transaction1559 fees = (Transaction1559) tx.getTransaction();
            byHash.putIfAbsent(hash, new Attempt(hash, tx.getNonce(), fees.getMaxFeePerGas(), fees.getMaxPriorityFeePerGas()));
        }
        return List.copyOf(byHash.values());
    }

    /**
     * At least two replacements, the base fee above every attempt's max fee but the newest's, and the newest's at
     * least the next block's base fee (at most 12.5% above the latest, whatever the latest block held).
     */
    private boolean onlyTheNewestMineable() {
        List<Attempt> all = distinctAttempts();
        if (all.size() < 3) {
            return false;
        }
        BigInteger base = latestBaseFee();
        BigInteger next = new BigDecimal(base).multiply(MIN_RAISE).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        BigInteger older = all.subList(0, all.size() - 1).stream().map(Attempt::maxFee).max(BigInteger::compareTo).orElseThrow();
        return base.compareTo(older) > 0 && next.compareTo(all.get(all.size() - 1).maxFee()) <= 0;
    }

    private Attempt newest() {
        List<Attempt> all = distinctAttempts();
        return all.get(all.size() - 1);
    }

    private BigInteger latestBaseFee() {
        try {
            return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One nonce; each replacement raises both fields by at least 12.5% over the one it replaces; caps; at most max-bumps. */
    private static void assertReplacementsOfOneNonce(List<Attempt> attempts, int maxBumps) {
        assertThat(attempts).as("the first transaction and at least one replacement").hasSizeGreaterThanOrEqualTo(2);
        assertThat(attempts.size() - 1).as("replacements, max-bumps %d", maxBumps).isLessThanOrEqualTo(maxBumps);
        assertThat(attempts).extracting(Attempt::nonce).as("nonces").containsOnly(attempts.get(0).nonce());
        for (int i = 1; i < attempts.size(); i++) {
            Attempt before = attempts.get(i - 1);
            Attempt after = attempts.get(i);
            assertThat(after.maxFee()).as("max fee of replacement %d (%s)", i, attempts).isGreaterThanOrEqualTo(raised(before.maxFee()));
            assertThat(after.tip()).as("tip of replacement %d (%s)", i, attempts).isGreaterThanOrEqualTo(raised(before.tip()));
        }
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.maxFee()).as("max fee of %s, cap %s", a.hash(), CAP_MAX_FEE).isLessThanOrEqualTo(CAP_MAX_FEE);
            assertThat(a.tip()).as("tip of %s, cap %s", a.hash(), CAP_TIP).isLessThanOrEqualTo(CAP_TIP);
        });
    }

    private static BigInteger raised(BigInteger value) {
        return new BigDecimal(value).multiply(MIN_RAISE).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    private Optional<?> receipt(String hash) throws IOException {
        return chain.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
    }

    /** The gateway's {@code MessageExecuted} and {@code MessageDelivered} events for the message, over the whole chain. */
    private int executions(Transfer t) throws IOException {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, gateway)
                .addOptionalTopics(EventEncoder.encode(Gateway.MESSAGEEXECUTED_EVENT), EventEncoder.encode(Gateway.MESSAGEDELIVERED_EVENT))
                .addSingleTopic(t.id().toHex());
        return chain.web3j().ethGetLogs(filter).send().getLogs().size();
    }

    /** {@code courier_fee_bumps_exhausted{chain="beta"}} as the registry exports it. */
    private double exhaustedGauge() {
        for (MetricSnapshot s : registry.scrape()) {
            if (s.getMetadata().getPrometheusName().equals("courier_fee_bumps_exhausted")) {
                for (GaugeSnapshot.GaugeDataPointSnapshot p : ((GaugeSnapshot) s).getDataPoints()) {
                    if (CHAIN.equals(p.getLabels().get("chain"))) {
                        return p.getValue();
                    }
                }
            }
        }
        return 0;
    }

    /** The recent blocks (number, base fee, gas used, transactions), for failure messages. */
    private List<String> blocks() {
        List<String> out = new ArrayList<>();
        try {
            long head = chain.blockNumber();
            for (long n = 0; n <= head; n++) {
                EthBlock.Block b = chain.web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(n)),
                        true).send().getBlock();
                List<String> txs = new ArrayList<>();
                for (EthBlock.TransactionResult<?> r : b.getTransactions()) {
                    org.web3j.protocol.core.methods.response.Transaction tx = (org.web3j.protocol.core.methods.response.Transaction) r.get();
                    if (tx.getFrom().equalsIgnoreCase(signer.getAddress())) {
                        txs.add(tx.getHash() + " nonce " + tx.getNonce() + " status "
                                + chain.web3j().ethGetTransactionReceipt(tx.getHash()).send().getTransactionReceipt().map(x -> x.getStatus()).orElse("?"));
                    }
                }
                out.add(n + ": base " + b.getBaseFeePerGas() + " used " + b.getGasUsed() + " txs " + b.getTransactions().size() + " ours " + txs);
            }
        } catch (IOException | RuntimeException e) {
            out.add("blocks not read: " + e);
        }
        return out;
    }

    // ── deployment ───────────────────────────────────────────────────────────────────────────────────

    private String deploy(String initCode) throws IOException {
        Object hash = chain.call("eth_sendTransaction", List.of(Map.of("from", deployer.getAddress(), "data", initCode,
                "gas", hex(BigInteger.valueOf(3_000_000))))).orElseThrow();
        return chain.web3j().ethGetTransactionReceipt(hash.toString()).send().getTransactionReceipt().orElseThrow()
                .getContractAddress().toLowerCase();
    }

    private static String solcBinary(String contract) throws IOException {
        try (InputStream in = Gateway.class.getResourceAsStream("solc/" + contract + ".bin")) {
            Objects.requireNonNull(in, "io/courier/contracts/solc/" + contract + ".bin on the classpath");
            String bin = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return bin.startsWith("0x") ? bin : "0x" + bin;
        }
    }

    private static String hex(BigInteger value) {
        return Numeric.toHexStringWithPrefix(value);
    }

    private static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(deadline);
            Thread.sleep(100);
        }
    }
}
