package io.courier.oracle.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.Address;
import io.courier.chain.web3j.ChainClientSettings;
import io.courier.chain.web3j.Web3jChainClient;
import io.courier.contracts.PriceFeed;
import io.courier.oracle.AggregatedPrice;
import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import io.courier.oracle.AggregationPolicy;
import io.courier.oracle.Aggregator;
import io.courier.oracle.GasAsset;
import io.courier.oracle.Rejection;
import io.courier.oracle.RejectionReason;
import io.courier.oracle.SourceReading;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** The on-chain sources against a {@code PriceFeed} contract and the fee history of a real Ganache chain. */
@ExtendWith(LocalChainExtension.class)
class FeedPriceSourceIT {

    private static final long CHAIN_ID = 1337_11;
    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private static final AggregationPolicy ONE_FRESH = new AggregationPolicy(1, Duration.ofMinutes(10), new BigDecimal("0.05"));

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static PriceFeed deploy(LocalChain chain, int decimals) throws Exception {
        RawTransactionManager signer = new RawTransactionManager(chain.web3j(), LocalChain.account(0), chain.chainId(),
                new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400));
        return PriceFeed.deploy(chain.web3j(), signer, new StaticGasProvider(BigInteger.valueOf(20_000_000_000L),
                BigInteger.valueOf(3_000_000)), BigInteger.valueOf(decimals), "ETH / USD").send();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static AggregatedPrice aggregate(PriceSource source, Instant now) throws Exception {
        return Aggregator.aggregate("ETH", List.of(await(source.read())), ONE_FRESH, now);
    }

    @Test
    void aFreshFeedIsAPriceAStaleOneAndAZeroAnswerAreRejected(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        PriceFeed feed = deploy(chain, 8);
        try (Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("ganache", CHAIN_ID, chain.rpcUrl()), scheduler)) {
            FeedPriceSource source = new FeedPriceSource("ETH", "feed", client, Address.fromHex(feed.getContractAddress()));

            // never set: zeros, as an unset Chainlink proxy answers
            assertThat(((NoPrice) aggregate(source, Instant.now())).rejected()).extracting(Rejection::reason)
                    .containsExactly(RejectionReason.NOT_POSITIVE);

            feed.setAnswer(BigInteger.valueOf(3_000_12345678L)).send();
            AggregatedPrice fresh = aggregate(source, Instant.now());
            assertThat(fresh).isInstanceOf(Price.class);
            assertThat(((Price) fresh).value()).isEqualTo(3_000_12345678L);
            assertThat(((Price) fresh).used().get(0).observedAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(2)));

            long twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).getEpochSecond();
            feed.setRoundData(BigInteger.valueOf(3_000_00000000L), BigInteger.valueOf(twoHoursAgo)).send();
            AggregatedPrice stale = aggregate(source, Instant.now());
            assertThat(stale).isInstanceOf(NoPrice.class);
            assertThat(stale.rejected()).singleElement().satisfies(r -> {
                assertThat(r.reason()).isEqualTo(RejectionReason.STALE);
                assertThat(r.source()).isEqualTo("feed");
            });

            feed.setAnswer(BigInteger.ZERO).send();
            assertThat(aggregate(source, Instant.now()).rejected()).extracting(Rejection::reason)
                    .containsExactly(RejectionReason.NOT_POSITIVE);
            feed.setAnswer(BigInteger.valueOf(-5)).send();
            assertThat(aggregate(source, Instant.now()).rejected()).extracting(Rejection::reason)
                    .containsExactly(RejectionReason.NOT_POSITIVE);
        }
    }

    @Test
    void anAnswerIsRescaledFromTheFeedsDecimals(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        PriceFeed feed = deploy(chain, 18);
        feed.setAnswer(new BigInteger("2500123456789000000000")).send(); // 2500.123456789 with 18 decimals
        try (Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("ganache", CHAIN_ID, chain.rpcUrl()), scheduler)) {
            SourceReading reading = await(new FeedPriceSource("ETH", "feed18", client,
                    Address.fromHex(feed.getContractAddress())).read());

            assertThat(((SourceReading.Observed) reading).observation().value()).isEqualTo(2500_12345678L); // rounded down
        }
    }

    @Test
    void anAddressThatIsNoFeedIsAFailingSourceNamedInTheReading(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        try (Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("ganache", CHAIN_ID, chain.rpcUrl()), scheduler)) {
            String account = LocalChain.account(5).getAddress();
            SourceReading reading = await(new FeedPriceSource("ETH", "nofeed", client, Address.fromHex(account)).read());

            assertThat(reading).isInstanceOf(SourceReading.Failed.class);
            assertThat(((SourceReading.Failed) reading).error()).contains("nofeed", "ETH", "chain " + CHAIN_ID);
        }
    }

    @Test
    void theGasPriceOfEachEndpointIsTheNextBaseFeePlusTheTip(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        chain.mine(3);
        try (Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("ganache", CHAIN_ID, chain.rpcUrl()), scheduler)) {
            List<PriceSource> sources = GasPriceSource.perEndpoint(client, 5, 50, Clock.systemUTC());
            assertThat(sources).hasSize(1);
            SourceReading reading = await(sources.get(0).read());

            BigInteger nextBaseFee = await(client.feeHistory(1, List.of(50.0))).nextBaseFee();
            assertThat(reading.asset()).isEqualTo(GasAsset.of(CHAIN_ID));
            assertThat(((SourceReading.Observed) reading).observation().value()).isGreaterThanOrEqualTo(nextBaseFee).isPositive();
        }
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
        return org.assertj.core.api.Assertions.within(d.toSeconds(), java.time.temporal.ChronoUnit.SECONDS);
    }
}
