package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.message.Address;
import io.courier.chain.web3j.ChainClientSettings;
import io.courier.chain.web3j.Web3jChainClient;
import io.courier.contracts.GasOracle;
import io.courier.contracts.Gateway;
import io.courier.oracle.AggregatedPrice;
import io.courier.oracle.GasAsset;
import io.courier.oracle.PriceBook;
import io.courier.oracle.PriceObservation;
import io.courier.oracle.QuotePolicy;
import io.courier.oracle.QuoteResult;
import io.courier.oracle.Quoter;
import io.courier.oracle.onchain.UpdatePolicy;
import io.courier.relayer.price.GasOracleUpdater;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The GasOracle updater actor (in process) against a real {@code GasOracle} and {@code Gateway} on Ganache: the first
 * value, a 5× gas price move reached in bounded steps (×2 per update), a heartbeat push when nothing moved, the
 * contract refusing an out-of-bound update and a non-updater key, and {@code Gateway.quoteFee} answering what the API's
 * quote ({@link Quoter}, which {@code GET /v1/quote} runs on the same price board) answers for the same prices. A second
 * destination with no price for its token is never pushed while the first is: its counters, born at 0 beside the
 * first's, stay there (what {@code CourierOracleUpdaterSilent} sees per destination), and move alone once it is priced.
 */
@ExtendWith(LocalChainExtension.class)
class GasOracleUpdaterIT {

    private static final long SRC = 1337_31;
    private static final long DST = 2002; // priced only: the updater needs the destination's prices, not its chain
    private static final long DST2 = 2003; // quoted, but its token has no price until the last step
    /** The chains' names, which label {@code chain} and {@code destination}. */
    private static final Map<Long, String> NAMES = Map.of(SRC, "alpha", DST, "beta", DST2, "gamma");
    private static final Credentials DEPLOYER = LocalChain.account(0);
    private static final Credentials UPDATER = LocalChain.account(7);
    private static final Credentials STRANGER = LocalChain.account(6);
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private static final Duration HEARTBEAT = Duration.ofHours(1);
    private static final StaticGasProvider GAS = new StaticGasProvider(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(6_000_000));
    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    /** Prices as the poller would publish them: gas of the destination, both native tokens (USD × 1e8). */
    private static PriceBook book(BigInteger dstGasPrice, long srcUsd, long dstUsd, MutableClock clock) {
        java.time.Instant now = clock.instant();
        return PriceBook.EMPTY.with(price(GasAsset.of(DST), dstGasPrice, now))
                .with(price("SRC", BigInteger.valueOf(srcUsd), now))
                .with(price("DST", BigInteger.valueOf(dstUsd), now));
    }

    /** {@code book} with the second destination priced too: its gas, and its token at 500 USD. */
    private static PriceBook withGamma(PriceBook book, MutableClock clock) {
        java.time.Instant now = clock.instant();
        return book.with(price(GasAsset.of(DST2), GWEI.multiply(BigInteger.valueOf(3)), now))
                .with(price("GAM", BigInteger.valueOf(500_00000000L), now));
    }

    private static AggregatedPrice price(String asset, BigInteger value, java.time.Instant now) {
        return new AggregatedPrice.Price(asset, value, List.of(new PriceObservation(asset, "test", value, now)), List.of(), now,
                now.plus(Duration.ofDays(365))); // fresh for as long as the test moves its clock
    }

    @Test
    void pushesOnDeviationInBoundedStepsOnHeartbeatAndTheGatewayQuotesLikeTheApi(@Chain(id = SRC) LocalChain chain) throws Exception {
        RawTransactionManager deployer = new RawTransactionManager(chain.web3j(), DEPLOYER, SRC,
                new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400));
        GasOracle oracle = GasOracle.deploy(chain.web3j(), deployer, GAS, UPDATER.getAddress(), BigInteger.valueOf(20_000)).send();
        Gateway gateway = Gateway.deploy(chain.web3j(), deployer, GAS, List.of(DEPLOYER.getAddress()), BigInteger.ONE,
                BigInteger.valueOf(200_000)).send();
        gateway.setGasOracle(oracle.getContractAddress()).send();

        MutableClock clock = new MutableClock();
        AtomicReference<PriceBook> prices = new AtomicReference<>(book(GWEI.multiply(BigInteger.TEN), 1_000_00000000L, 2_000_00000000L, clock));
        QuotePolicy quotes = new QuotePolicy(Set.of(SRC, DST, DST2), Map.of(SRC, "SRC", DST, "DST", DST2, "GAM"),
                new QuotePolicy.RouteFees(new BigDecimal("0.1"), 71_000), Map.of(), Duration.ofMinutes(1), 1_500_000);
        CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());
        String label = "alpha"; // the chain's name, as every {chain} label
        // courier_oracle_updates_total{chain="alpha", destination=..., reason=...}
        java.util.function.BiFunction<String, String, Double> updates =
                (destination, reason) -> metrics.oracleUpdates.labelValues(label, destination, reason).get();

        try (Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("src", SRC, chain.rpcUrl()), scheduler)) {
            GasOracleUpdater.Wiring wiring = new GasOracleUpdater.Wiring(
                    List.of(new GasOracleUpdater.Target(SRC, "alpha", client, Address.fromHex(oracle.getContractAddress()))), NAMES, UPDATER, quotes,
                    prices::get, new UpdatePolicy(new BigDecimal("0.05"), HEARTBEAT), Duration.ofSeconds(1), Duration.ofMinutes(1),
                    500_000, metrics, clock);
            ActorSystem<GasOracleUpdater.Command> updater = ActorSystem.create(GasOracleUpdater.manual(wiring), "gas-oracle-updater-it");
            try {
                // born at 0, every destination and reason (read from the registry: labelValues would create them)
                // (the actor declares them in its setup, which runs on the system's start: not before create returns)
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(updateSeries(metrics)).containsOnly(
                        Map.entry(List.of(label, "beta", "deviation"), 0.0), Map.entry(List.of(label, "beta", "heartbeat"), 0.0),
                        Map.entry(List.of(label, "gamma", "deviation"), 0.0), Map.entry(List.of(label, "gamma", "heartbeat"), 0.0)));

                // 1. the first value: 10 gwei, ratio 2 (a 2,000 USD destination token paid in a 1,000 USD one)
                tickUntil(updater, () -> updates.apply("beta", "deviation") == 1);
                assertThat(oracle.gasData(BigInteger.valueOf(DST)).send().component1()).isEqualTo(GWEI.multiply(BigInteger.TEN));
                assertThat(oracle.gasData(BigInteger.valueOf(DST)).send().component2()).isEqualTo(BigInteger.TWO.multiply(BigInteger.TEN.pow(18)));
                assertThat(metrics.oracleUpdateGasSpent.labelValues(label).get()).isPositive();
                assertQuotesAgree(gateway, prices.get(), quotes, clock);

                // 2. the destination's gas jumps 5×: the contract allows ×2 per update, so 20, 40, then 50 gwei
                prices.set(book(GWEI.multiply(BigInteger.valueOf(50)), 1_000_00000000L, 2_000_00000000L, clock));
                tickUntil(updater, () -> updates.apply("beta", "deviation") == 4);
                assertThat(gasPricesWritten(chain, oracle)).containsExactly(GWEI.multiply(BigInteger.TEN), GWEI.multiply(BigInteger.valueOf(20)),
                        GWEI.multiply(BigInteger.valueOf(40)), GWEI.multiply(BigInteger.valueOf(50)));
                assertQuotesAgree(gateway, prices.get(), quotes, clock);

                // 3. nothing moves, but the heartbeat passes (node and chain time alike): the same values are written again
                clock.advance(HEARTBEAT.plusMinutes(1));
                chain.call("evm_increaseTime", List.of(HEARTBEAT.plusMinutes(1).toSeconds()));
                chain.mine(1);
                tickUntil(updater, () -> updates.apply("beta", "heartbeat") == 1);
                assertThat(updates.apply("beta", "deviation")).isEqualTo(4);
                assertThat(gasPricesWritten(chain, oracle)).hasSize(5).last().isEqualTo(GWEI.multiply(BigInteger.valueOf(50)));

                // 4. the source token doubles: the ratio halves in one (allowed) step and the on-chain quote follows
                prices.set(book(GWEI.multiply(BigInteger.valueOf(50)), 2_000_00000000L, 2_000_00000000L, clock));
                tickUntil(updater, () -> updates.apply("beta", "deviation") == 5);
                assertQuotesAgree(gateway, prices.get(), quotes, clock);
                // the rounds between held: one heartbeat push only, no repeat while the fresh values are young
                assertThat(updates.apply("beta", "heartbeat")).isEqualTo(1);
                assertThat(gasPricesWritten(chain, oracle)).hasSize(6);

                // 5. all along, the second destination's quote was refused (no price for its token): never pushed, its
                //    counters flat beside the first's; once priced it is pushed alone, and only its counter moves
                assertThat(updates.apply("gamma", "deviation")).isZero();
                assertThat(updates.apply("gamma", "heartbeat")).isZero();
                assertThat(oracle.gasData(BigInteger.valueOf(DST2)).send().component1()).isZero();
                prices.set(withGamma(prices.get(), clock));
                tickUntil(updater, () -> updates.apply("gamma", "deviation") == 1);
                assertThat(oracle.gasData(BigInteger.valueOf(DST2)).send().component1()).isEqualTo(GWEI.multiply(BigInteger.valueOf(3)));
                assertThat(updates.apply("beta", "deviation")).isEqualTo(5);
                assertThat(updates.apply("beta", "heartbeat")).isEqualTo(1);
                assertThat(updates.apply("gamma", "heartbeat")).isZero();
            } finally {
                updater.terminate();
            }
        }

        // the contract's bound and its updater check, whatever the node does: ×3 from the updater, anything from another key
        String tooFar = oracle.update(List.of(new GasOracle.Update(BigInteger.valueOf(DST), GWEI.multiply(BigInteger.valueOf(150)),
                BigInteger.TEN.pow(18), BigInteger.valueOf(71_000), BigInteger.TEN.pow(17)))).encodeFunctionCall();
        assertThat(revertSelector(chain, UPDATER, oracle, tooFar)).isEqualTo(selector("UpdateOutOfBounds(uint256,uint8,uint256,uint256,uint32)"));
        String fine = oracle.update(List.of(new GasOracle.Update(BigInteger.valueOf(DST), GWEI.multiply(BigInteger.valueOf(60)),
                BigInteger.TEN.pow(18), BigInteger.valueOf(71_000), BigInteger.TEN.pow(17)))).encodeFunctionCall();
        assertThat(revertSelector(chain, STRANGER, oracle, fine)).isEqualTo(selector("NotUpdater(address)"));
        assertThat(revertSelector(chain, UPDATER, oracle, fine)).isNull(); // the same update from the updater passes
    }

    /** The {@code courier_oracle_updates_total} series the registry holds: (chain, destination, reason) to value. */
    private static Map<List<String>, Double> updateSeries(CourierMetrics metrics) {
        Map<List<String>, Double> series = new java.util.HashMap<>();
        metrics.registry().scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals("courier_oracle_updates"))
                .flatMap(m -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) m).getDataPoints().stream())
                .forEach(p -> series.put(List.of(p.getLabels().get("chain"), p.getLabels().get("destination"), p.getLabels().get("reason")),
                        p.getValue()));
        return series;
    }

    private static void tickUntil(ActorSystem<GasOracleUpdater.Command> updater, java.util.concurrent.Callable<Boolean> done) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            updater.tell(GasOracleUpdater.Tick.INSTANCE);
            return done.call();
        });
    }

    /** Gateway.quoteFee against the API's quote for the same book, for several handler gas limits. */
    private static void assertQuotesAgree(Gateway gateway, PriceBook book, QuotePolicy quotes, MutableClock clock) throws Exception {
        for (long gasLimit : new long[] {0, 100_000, 1_000_000}) {
            QuoteResult.Quote api = (QuoteResult.Quote) Quoter.quote(book, quotes, SRC, DST, gasLimit, clock.instant());
            // the ratios here divide exactly, so the two agree to the wei (in general the chain's is at most a rounding above)
            assertThat(gateway.quoteFee(BigInteger.valueOf(DST), BigInteger.valueOf(gasLimit)).send()).as("gasLimit %d", gasLimit)
                    .isEqualTo(api.fee());
        }
    }

    /** The gas prices of every {@code GasDataUpdated} the oracle emitted, in order. */
    private static List<BigInteger> gasPricesWritten(LocalChain chain, GasOracle oracle) throws Exception {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, oracle.getContractAddress());
        filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(GasOracle.GASDATAUPDATED_EVENT));
        return chain.web3j().ethGetLogs(filter).send().getLogs().stream()
                .map(l -> GasOracle.getGasDataUpdatedEventFromLog((org.web3j.protocol.core.methods.response.Log) ((EthLog.LogObject) l).get()).gasPrice)
                .toList();
    }

    /** The 4-byte selector a dry run of {@code data} from {@code from} reverts with, or null when it would pass. */
    private static String revertSelector(LocalChain chain, Credentials from, GasOracle oracle, String data) throws Exception {
        EthCall call = chain.web3j().ethCall(Transaction.createEthCallTransaction(from.getAddress(), oracle.getContractAddress(), data),
                DefaultBlockParameterName.LATEST).send();
        String revert = call.hasError() ? call.getError().getData() : call.isReverted() ? call.getValue() : null;
        if (revert == null) {
            return null;
        }
        String hex = revert.replace("\"", "");
        int at = hex.indexOf("0x");
        return hex.substring(at, at + 10);
    }

    private static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }
}
