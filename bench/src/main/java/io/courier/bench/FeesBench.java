package io.courier.bench;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.ChainClient;
import io.courier.chain.FeeHistory;
import io.courier.chain.web3j.ChainClientSettings;
import io.courier.chain.web3j.Web3jChainClient;
import io.courier.fees.FeeMarket;
import io.courier.fees.FeeMode;
import io.courier.fees.FeePricer;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.relayer.config.NodeConfigLoader;
import io.courier.testkit.LocalChain;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * {@code ./courier bench fees}: overpay = what a transaction paid per gas (its receipt's {@code effectiveGasPrice}) /
 * (the inclusion block's base fee + the configured minimum tip), averaged over {@value #TRANSACTIONS} transactions a
 * side, in a market whose base fee moves. Courier's price comes from its fee model as the submitter builds it
 * ({@code eth_feeHistory} through the node's chain adapter → {@link FeeMarket} → {@link FeePricer}, settings
 * reference.conf's {@code chain-defaults.fees} read by the node's loader); naive is Web3j's {@link DefaultGasProvider}
 * (a legacy 4.1 gwei gas price).
 *
 * <p>The market: one Ganache chain mining a block a second (30M gas limit, so 15M is EIP-1559's target), and on a
 * thread of its own, other users' filler transactions, one a block, to a contract whose code is {@code INVALID} (it
 * burns the whole gas limit, so a filler's gas decides how full its block is). Their gas sweeps the base fee up
 * (blocks 60–100 % full) until it is over 3.5 gwei, then down (0–40 %) until it is under 0.5 gwei, and so on (under
 * Web3j's 4.1 gwei: above it the naive transactions could not be included at all); their tips are random between
 * the minimum tip and 0.1 gwei (mainnet in 2025 looks like this: base fees of a few gwei, median tips of a few
 * hundredths). Each round sends one Courier and one naive transaction together (plain 21,000-gas transfers:
 * overpay does not depend on what a transaction does), the next round up to a second later.
 */
final class FeesBench {

    static final int TRANSACTIONS = 50;
    private static final long CHAIN = 1003;
    private static final int COURIER = 1;
    private static final int NAIVE = 3;
    private static final int FILLER = 6;
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private static final BigInteger LOW = GWEI.divide(BigInteger.TWO);
    private static final BigInteger HIGH = GWEI.multiply(BigInteger.valueOf(7)).divide(BigInteger.TWO);
    private static final BigInteger MAX_FILLER_TIP = GWEI.divide(BigInteger.TEN);
    private static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);
    /** Runtime code {@code 0xfe}: a call burns all the gas it is given. */
    private static final String BURNER_INIT = "0x60fe60005360016000f3";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final PrintStream out;
    private final LocalChain chain;
    private final FeeSettings settings;
    private final Random random = new Random(20_261_205L);
    private final Instant started = Instant.now();

    private FeesBench(PrintStream out, LocalChain chain, FeeSettings settings) {
        this.out = out;
        this.chain = chain;
        this.settings = settings;
    }

    static void run(PrintStream out, String[] args) throws Exception {
        if (args.length > 0) {
            throw new BenchMain.Usage("courier bench fees takes no options, got " + String.join(" ", args));
        }
        System.setProperty("courier.testkit.docker", System.getProperty("courier.testkit.docker", "false"));
        String path = "courier.chain-defaults.fees";
        FeeSettings settings = NodeConfigLoader.fees(ConfigFactory.defaultReference().getConfig(path), path);
        out.printf("bench: fee settings from reference.conf %s: %s%n", path, settings);
        out.printf("bench: starting a Ganache chain (%d, a block a second)%n", CHAIN);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (LocalChain chain = LocalChain.start(LocalChain.Options.chainId(CHAIN).blockTime(1).name("bench-fees"));
             Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("bench-fees", CHAIN, chain.rpcUrl()), scheduler)) {
            new FeesBench(out, chain, settings).measure(client);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private void measure(ChainClient client) throws Exception {
        String burner = GasBench.deployRaw(chain, BURNER_INIT);
        for (int account : new int[] {COURIER, NAIVE, FILLER}) {
            GasBench.spendNonceZero(chain, LocalChain.account(account));
        }
        BigInteger blockGasLimit = block(chain.blockNumber()).getGasLimit();
        Filler filler = new Filler(burner, blockGasLimit.subtract(BigInteger.valueOf(1_000_000)));
        Thread fillers = new Thread(filler, "bench-fees-filler");
        fillers.setDaemon(true);
        fillers.start();
        try {
            // the fee history needs blocks with tips, and the base fee its band, before a price means anything
            while (filler.count() < 2L * settings.historyBlocks() || !inBand(latestBaseFee())) {
                filler.check();
                Thread.sleep(100);
            }
            step("market warm: base fee " + gwei(latestBaseFee()) + " gwei after " + filler.count() + " filler blocks; measuring "
                    + TRANSACTIONS + " transactions a side");
            List<BigDecimal> courier = new ArrayList<>();
            List<BigDecimal> naive = new ArrayList<>();
            List<BigInteger> courierTips = new ArrayList<>();
            List<BigInteger> baseFees = new ArrayList<>();
            int modelMismatches = 0;
            Instant nextReport = Instant.now().plusSeconds(3);
            RawTransactionManager naiveSender = new RawTransactionManager(chain.web3j(), LocalChain.account(NAIVE), CHAIN);
            Credentials courierKey = LocalChain.account(COURIER);
            long courierNonce = nonce(courierKey);
            for (int i = 0; i < TRANSACTIONS; i++) {
                filler.check();
                // courier: the submitter's pricing, then a transaction signed as Submitter.Env.sign signs it
                Fees fees = price(client);
                String raw = Numeric.toHexString(TransactionEncoder.signMessage(fees instanceof Fees.Eip1559Fees e
                        ? RawTransaction.createTransaction(CHAIN, BigInteger.valueOf(courierNonce), TRANSFER_GAS, courierKey.getAddress(),
                                BigInteger.ZERO, "", e.maxPriorityFeePerGas(), e.maxFeePerGas())
                        : RawTransaction.createTransaction(BigInteger.valueOf(courierNonce), fees.maxFee(), TRANSFER_GAS, courierKey.getAddress(),
                                BigInteger.ZERO, ""), CHAIN, courierKey));
                courierNonce++;
                EthSendTransaction courierSent = chain.web3j().ethSendRawTransaction(raw).send();
                // naive: what the generated wrapper sends with DefaultGasProvider, a legacy transaction at its gas price
                EthSendTransaction naiveSent = naiveSender.sendTransaction(new DefaultGasProvider().getGasPrice(), TRANSFER_GAS,
                        LocalChain.account(NAIVE).getAddress(), "", BigInteger.ZERO);
                Included c = included(courierSent, "courier");
                courier.add(Overpay.of(c.paid(), c.baseFee(), settings.minPriorityFeePerGas()));
                courierTips.add(c.paid().subtract(c.baseFee()));
                baseFees.add(c.baseFee());
                if (!fees.paidPerGas(c.baseFee()).equals(c.paid())) {
                    modelMismatches++;
                }
                Included n = included(naiveSent, "naive");
                naive.add(Overpay.of(n.paid(), n.baseFee(), settings.minPriorityFeePerGas()));
                baseFees.add(n.baseFee());
                // the next pair a block or two later, at another base fee
                Thread.sleep(random.nextInt(1_000));
                if (!Instant.now().isBefore(nextReport)) {
                    step(String.format("%d/%d a side; base fee now %s gwei; courier's last tip %s gwei", i + 1, TRANSACTIONS,
                            gwei(latestBaseFee()), gwei(courierTips.get(courierTips.size() - 1))));
                    nextReport = Instant.now().plusSeconds(3);
                }
            }
            filler.stop();
            fillers.join(10_000);
            Collections.sort(baseFees);
            Collections.sort(courierTips);
            step(String.format("base fee at inclusion: %s .. %s gwei over %d filler blocks (tips %s .. %s gwei); courier's tips: median %s gwei, "
                            + "max %s; receipts that differ from the fee model's paid price: %d", gwei(baseFees.get(0)),
                    gwei(baseFees.get(baseFees.size() - 1)), filler.count(), gwei(settings.minPriorityFeePerGas()), gwei(MAX_FILLER_TIP),
                    gwei(courierTips.get(courierTips.size() / 2)), gwei(courierTips.get(courierTips.size() - 1)), modelMismatches));
            out.printf("bench: overpay = receipt effectiveGasPrice / (inclusion block base fee + min tip %s gwei), mean of %d transactions a side%n",
                    gwei(settings.minPriorityFeePerGas()), TRANSACTIONS);
            out.printf("bench fees: overpay courier=%s naive=%s%n", twoPlaces(Overpay.mean(courier)), twoPlaces(Overpay.mean(naive)));
        } finally {
            filler.stop();
        }
    }

    /** As the submitter prices (Submitter.Env.price): the fee history, eth_gasPrice when the mode needs it, the pricer. */
    private Fees price(ChainClient client) {
        Optional<FeeHistory> h = settings.mode() == FeeMode.LEGACY ? Optional.empty()
                : Optional.of(client.feeHistory(settings.historyBlocks(), settings.percentiles()).toCompletableFuture().join());
        FeeMarket market = FeeMarket.needsGasPrice(settings.mode(), h)
                ? FeeMarket.of(settings.mode(), h, Optional.of(client.gasPrice().toCompletableFuture().join()))
                : FeeMarket.of(settings.mode(), h, Optional.empty());
        FeePricer.Outcome outcome = FeePricer.price(market, settings);
        if (outcome instanceof FeePricer.Priced priced) {
            return priced.fees();
        }
        throw new IllegalStateException("chain " + CHAIN + ": the market is over the fee cap: " + outcome);
    }

    private record Included(BigInteger paid, BigInteger baseFee) {}

    private Included included(EthSendTransaction sent, String side) throws Exception {
        if (sent.hasError()) {
            throw new IllegalStateException(side + ": chain " + CHAIN + " refused the transaction: " + sent.getError().getMessage());
        }
        TransactionReceipt receipt = receipt(sent.getTransactionHash());
        return new Included(Numeric.decodeQuantity(receipt.getEffectiveGasPrice()), block(receipt.getBlockNumber().longValueExact()).getBaseFeePerGas());
    }

    private TransactionReceipt receipt(String hash) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (true) {
            Optional<TransactionReceipt> r = chain.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) {
                return r.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("transaction " + hash + " not mined on chain " + CHAIN + " after " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private EthBlock.Block block(long number) throws IOException {
        return chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false).send().getBlock();
    }

    private BigInteger latestBaseFee() throws IOException {
        return chain.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
    }

    private long nonce(Credentials who) throws IOException {
        return chain.web3j().ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount().longValueExact();
    }

    private static boolean inBand(BigInteger baseFee) {
        return baseFee.compareTo(LOW) >= 0 && baseFee.compareTo(HIGH) <= 0;
    }

    /**
     * Other users: one transaction at a time into the burner, its gas (so its block's fullness) random, pushed up when the
     * base fee is under the band and down when over it; EIP-1559 tips random in [min tip, 0.1 gwei].
     */
    private final class Filler implements Runnable {
        private final String burner;
        private final BigInteger maxGas;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Random fillerRandom = new Random(7);
        private volatile long count;
        private boolean rising = true;

        Filler(String burner, BigInteger maxGas) {
            this.burner = burner;
            this.maxGas = maxGas;
        }

        @Override
        public void run() {
            Credentials key = LocalChain.account(FILLER);
            try {
                long nonce = nonce(key);
                while (!stop.get()) {
                    BigInteger base = latestBaseFee();
                    // sweeps: fuller blocks than the target until the base fee is over the band, emptier until under it
                    if (base.compareTo(HIGH) > 0) {
                        rising = false;
                    } else if (base.compareTo(LOW) < 0) {
                        rising = true;
                    }
                    double fullness = rising ? 0.6 + 0.4 * fillerRandom.nextDouble() : 0.4 * fillerRandom.nextDouble();
                    BigInteger gas = TRANSFER_GAS.max(new BigDecimal(maxGas).multiply(BigDecimal.valueOf(fullness)).toBigInteger());
                    BigInteger minTip = settings.minPriorityFeePerGas();
                    BigInteger tip = minTip.add(new BigDecimal(MAX_FILLER_TIP.subtract(minTip)).multiply(BigDecimal.valueOf(fillerRandom.nextDouble()))
                            .toBigInteger());
                    RawTransaction tx = RawTransaction.createTransaction(CHAIN, BigInteger.valueOf(nonce++), gas, burner, BigInteger.ZERO, "",
                            tip, base.multiply(BigInteger.TWO).add(tip));
                    EthSendTransaction sent = chain.web3j()
                            .ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, CHAIN, key))).send();
                    if (sent.hasError()) {
                        throw new IllegalStateException("filler: chain " + CHAIN + " refused a transaction: " + sent.getError().getMessage());
                    }
                    receipt(sent.getTransactionHash());
                    count++;
                }
            } catch (Exception e) {
                if (!stop.get()) {
                    failure.set(e);
                }
            }
        }

        long count() {
            return count;
        }

        /** The measurement stops if the market it runs in did. */
        void check() {
            Exception e = failure.get();
            if (e != null) {
                throw new IllegalStateException("filler traffic stopped: " + e.getMessage(), e);
            }
        }

        void stop() {
            stop.set(true);
        }
    }

    private static String gwei(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private static String twoPlaces(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private void step(String what) {
        out.printf("[%6.1fs] %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, what);
    }
}
