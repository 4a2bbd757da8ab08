package io.courier.bench;

import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.contracts.Gateway;
import io.courier.testkit.LocalChain;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * {@code ./courier bench gas}: gas per delivered message on a real EVM (two Ganache chains), Courier's delivery paths
 * against the naive relay a Java developer writes with Web3j: one {@code execute} transaction per message through the
 * generated wrapper, per-message signatures, {@link DefaultGasProvider}.
 *
 * <p>Both sides deliver real messages: sent on the source chain with {@code Gateway.send}, read back from their
 * {@code MessageSent} logs, signed by 3 of 5 validators, executed on the destination gateway into a {@code NoopRecipient}
 * (an empty {@code handle}; its cost is included, not subtracted). Gas per message = the receipts' {@code gasUsed} /
 * messages delivered. Courier's figure at each batch size is its cheapest path there (what its planner picks):
 * a checkpoint of the whole range, or for one message the cheaper of a checkpoint of one and {@code executeBatch} of one.
 *
 * <p>Replay bitmap words: the words the measured nonces fall in are put in use before measuring (one warm-up message
 * each, not counted), so every figure is the steady state; a fresh word costs 17,100 gas more once per 256 messages of
 * a route (≈ 67 per message), which is printed apart.
 */
final class GasBench {

    private static final long SRC = 1001;
    private static final long DST = 1002;
    private static final int VALIDATORS = 5;
    private static final int THRESHOLD = 3;
    private static final long HANDLER_GAS_LIMIT = 200_000;
    private static final int LONE = 16;
    private static final int[] BATCHES = {1, 32, 128};
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(20_000_000_000L);
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(25_000_000);

    private final PrintStream out;
    private final LocalChain src;
    private final LocalChain dst;
    private final List<ECKeyPair> keys;
    private final List<ECKeyPair> signers;
    private final GatewayCalldata.ValidatorSet set;
    private final Random random = new Random(20_261_204L);
    private Gateway srcGateway;
    private Gateway dstGateway;
    private String recipient;
    private long nextNonce;
    private final List<CrossChainMessage> sent = new ArrayList<>();

    private GasBench(PrintStream out, LocalChain src, LocalChain dst) {
        this.out = out;
        this.src = src;
        this.dst = dst;
        this.keys = IntStream.range(0, VALIDATORS)
                .mapToObj(i -> ECKeyPair.create(Numeric.toBigInt(Hash.sha3(("courier-bench-validator-" + i).getBytes(StandardCharsets.UTF_8)))))
                .sorted(Comparator.comparing(GasBench::address))
                .toList();
        // the gateway wants signers ascending: any 3 of the sorted 5 are
        this.signers = keys.subList(0, THRESHOLD);
        this.set = new GatewayCalldata.ValidatorSet(THRESHOLD, keys.stream().map(GasBench::address).toList());
    }

    static void run(PrintStream out, String[] args) throws Exception {
        if (args.length > 0) {
            throw new IllegalArgumentException("courier bench gas takes no options, got " + String.join(" ", args));
        }
        System.setProperty("courier.testkit.docker", System.getProperty("courier.testkit.docker", "false"));
        out.println("bench: starting two local chains (Ganache " + SRC + " and " + DST + ")");
        try (LocalChain src = LocalChain.start(LocalChain.Options.chainId(SRC).name("bench-src"));
             LocalChain dst = LocalChain.start(LocalChain.Options.chainId(DST).name("bench-dst"))) {
            new GasBench(out, src, dst).measure();
        }
    }

    private void measure() throws Exception {
        deploy();
        // courier: nonces 0..224 (bitmap word 0); naive: 257..432 (word 1, warmed by nonce 256)
        int needed = 257 + LONE + 32 + 128;
        out.printf("bench: sending %d messages with 96-byte payloads on chain %d%n", needed, SRC);
        sendMessages(needed);

        // warm-up: the bitmap words of nonces 0..255 and 256..511 in use, as on any route past its first message
        deliverCheckpoint(take(1));
        TransactionReceipt warm = executeNaive(sent.get(256), defaultGasProvider());
        out.printf("bench: warm-up (not counted): first message of a fresh bitmap word, lone execute = %s gas%n", warm.getGasUsed());

        long[] courier = new long[BATCHES.length];
        long[] naive = new long[BATCHES.length];
        String[] how = new String[BATCHES.length];

        out.printf("bench: courier, %d lone messages, checkpoint of one each%n", LONE);
        long checkpointOne = perMessage(IntStream.range(0, LONE).mapToLong(i -> deliverCheckpoint(take(1))).sum(), LONE);
        out.printf("bench: courier, %d lone messages, executeBatch of one each%n", LONE);
        long batchOne = perMessage(IntStream.range(0, LONE).mapToLong(i -> deliverBatch(take(1))).sum(), LONE);
        courier[0] = Math.min(checkpointOne, batchOne);
        how[0] = checkpointOne <= batchOne ? "checkpoint of 1" : "executeBatch of 1";
        out.printf("bench: lone message: checkpoint of 1 = %d, executeBatch of 1 = %d gas%n", checkpointOne, batchOne);
        for (int b = 1; b < BATCHES.length; b++) {
            int size = BATCHES[b];
            out.printf("bench: courier, checkpoint of %d messages%n", size);
            courier[b] = perMessage(deliverCheckpoint(take(size)), size);
            how[b] = "checkpoint of " + size;
        }
        out.printf("bench: courier, executeBatch of 32 messages (per-message signatures, for comparison)%n");
        long batch32 = perMessage(deliverBatch(take(32)), 32);
        out.printf("bench: executeBatch of 32 = %d gas per message%n", batch32);

        // the naive relay: nonces 256.. (word warmed above), one wrapper call per message
        nextNonce = Math.max(nextNonce, 257);
        for (int b = 0; b < BATCHES.length; b++) {
            int size = b == 0 ? LONE : BATCHES[b];
            out.printf("bench: naive, %d messages, one Web3j execute each (DefaultGasProvider)%n", size);
            long total = 0;
            for (CrossChainMessage m : take(size)) {
                total += executeNaive(m, defaultGasProvider()).getGasUsed().longValueExact();
            }
            naive[b] = perMessage(total, size);
        }

        out.println("bench: recipient NoopRecipient (empty handle), its cost included; payload 96 bytes (abi.encode(uint8, address, uint256) "
                + "as TokenBridge sends); replay words in use (a fresh one adds 17,100 once per 256 messages)");
        for (int b = 0; b < BATCHES.length; b++) {
            out.printf("bench: batch=%d courier path: %s%n", BATCHES[b], how[b]);
        }
        for (int b = 0; b < BATCHES.length; b++) {
            out.printf("bench gas: signers=%d/%d batch=%d courier=%d naive=%d%n", THRESHOLD, VALIDATORS, BATCHES[b], courier[b], naive[b]);
        }
    }

    private static long perMessage(long gas, int messages) {
        return Math.round((double) gas / messages);
    }

    private static DefaultGasProvider defaultGasProvider() {
        return new DefaultGasProvider();
    }

    private void deploy() throws Exception {
        out.printf("bench: deploying gateways (3 of 5 validators, handler gas %d) and a NoopRecipient%n", HANDLER_GAS_LIMIT);
        List<String> validators = keys.stream().map(GasBench::address).toList();
        StaticGasProvider gas = new StaticGasProvider(GAS_PRICE, GAS_LIMIT);
        srcGateway = Gateway.deploy(src.web3j(), transactions(src, LocalChain.account(0)), gas, validators, BigInteger.valueOf(THRESHOLD),
                BigInteger.valueOf(HANDLER_GAS_LIMIT)).send();
        dstGateway = Gateway.deploy(dst.web3j(), transactions(dst, LocalChain.account(0)), gas, validators, BigInteger.valueOf(THRESHOLD),
                BigInteger.valueOf(HANDLER_GAS_LIMIT)).send();
        recipient = deployRaw(dst, binary("NoopRecipient"));
    }

    /** Messages sent for real on the source chain, read back from their {@code MessageSent} logs. */
    private void sendMessages(int count) throws Exception {
        Gateway sender = Gateway.load(srcGateway.getContractAddress(), src.web3j(), transactions(src, LocalChain.account(2)),
                new StaticGasProvider(GAS_PRICE, BigInteger.valueOf(500_000)));
        for (int i = 0; i < count; i++) {
            TransactionReceipt receipt = sender.send(BigInteger.valueOf(DST), recipient, payload(), BigInteger.ZERO).send();
            Gateway.MessageSentEventResponse event = Gateway.getMessageSentEvents(receipt).get(0);
            sent.add(new CrossChainMessage(SRC, srcGateway.getContractAddress(), event.nonce.longValueExact(), event.dstChainId.longValueExact(),
                    event.sender, event.recipient, event.payload));
            if ((i + 1) % 100 == 0) {
                out.printf("bench: %d/%d sent%n", i + 1, count);
            }
        }
    }

    private byte[] payload() {
        return payload(random);
    }

    /** What TokenBridge sends: abi.encode(uint8 kind, address to, uint256 amount), 96 bytes (bench drain sends the same). */
    static byte[] payload(Random random) {
        byte[] payload = new byte[96];
        payload[31] = 1;
        byte[] to = new byte[20];
        random.nextBytes(to);
        System.arraycopy(to, 0, payload, 44, 20);
        byte[] amount = BigInteger.valueOf(1 + random.nextInt(1_000_000)).multiply(BigInteger.TEN.pow(15)).toByteArray();
        System.arraycopy(amount, 0, payload, 96 - amount.length, amount.length);
        return payload;
    }

    private List<CrossChainMessage> take(int count) {
        List<CrossChainMessage> range = sent.subList((int) nextNonce, (int) nextNonce + count);
        nextNonce += count;
        return range;
    }

    private long deliverCheckpoint(List<CrossChainMessage> range) {
        CheckpointDigest digest = CheckpointDigest.of(range, dstGateway.getContractAddress());
        List<ValidatorSignature> signatures = signers.stream().map(k -> ValidatorSignature.sign(digest, k)).toList();
        return transact(GatewayCalldata.executeCheckpoint(range, CheckpointRoot.ofMessages(range), set, signatures), range.size());
    }

    private long deliverBatch(List<CrossChainMessage> messages) {
        List<GatewayCalldata.Signed> batch = messages.stream().map(m -> new GatewayCalldata.Signed(m,
                signers.stream().map(k -> ValidatorSignature.sign(AttestationDigest.of(m, dstGateway.getContractAddress()), k)).toList())).toList();
        return transact(GatewayCalldata.executeBatch(set, batch), messages.size());
    }

    /** The naive relay: the generated wrapper, the developer's own key, Web3j's default gas price and limit. */
    private TransactionReceipt executeNaive(CrossChainMessage m, DefaultGasProvider gas) throws Exception {
        Credentials relayer = LocalChain.account(3);
        Gateway gateway = Gateway.load(dstGateway.getContractAddress(), dst.web3j(), relayer, gas);
        List<byte[]> signatures = signers.stream()
                .map(k -> ValidatorSignature.sign(AttestationDigest.of(m, dstGateway.getContractAddress()), k).bytes()).toList();
        TransactionReceipt receipt = gateway.execute(BigInteger.valueOf(m.srcChainId()), m.srcGateway(), BigInteger.valueOf(m.nonce()),
                m.sender(), m.recipient(), m.payload(), signatures).send();
        requireDelivered(receipt, 1);
        return receipt;
    }

    /** A transaction of the relayer account to the destination gateway; its gas used. */
    private long transact(String calldata, int messages) {
        try {
            EthSendTransaction sent = transactions(dst, LocalChain.account(4))
                    .sendTransaction(GAS_PRICE, GAS_LIMIT, dstGateway.getContractAddress(), calldata, BigInteger.ZERO);
            if (sent.hasError()) {
                throw new IllegalStateException("chain " + DST + " refused the delivery of " + messages + " messages: " + sent.getError().getMessage());
            }
            TransactionReceipt receipt = receipts(dst).waitForTransactionReceipt(sent.getTransactionHash());
            requireDelivered(receipt, messages);
            return receipt.getGasUsed().longValueExact();
        } catch (IOException | org.web3j.protocol.exceptions.TransactionException e) {
            throw new IllegalStateException("delivery of " + messages + " messages on chain " + DST + " failed: " + e.getMessage(), e);
        }
    }

    /** Counted only when delivered: the transaction succeeded and no recipient failed. */
    static void requireDelivered(TransactionReceipt receipt, int messages) {
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException("transaction " + receipt.getTransactionHash() + " reverted (" + messages + " messages)");
        }
        boolean failure = Gateway.getMessageExecutedEvents(receipt).stream().anyMatch(e -> !e.success);
        if (failure) {
            throw new IllegalStateException("transaction " + receipt.getTransactionHash() + ": a recipient failed; the figure would be wrong");
        }
    }

    static String deployRaw(LocalChain chain, String bin) throws Exception {
        EthSendTransaction sent = transactions(chain, LocalChain.account(0)).sendTransaction(GAS_PRICE, BigInteger.valueOf(1_000_000), null, bin,
                BigInteger.ZERO);
        if (sent.hasError()) {
            throw new IllegalStateException("deploying on chain " + chain.chainId() + " refused: " + sent.getError().getMessage());
        }
        return receipts(chain).waitForTransactionReceipt(sent.getTransactionHash()).getContractAddress();
    }

    /**
     * Ganache 7.9 takes a raw transaction at nonce 0 as nonce-less and can mine it twice (DemoNetwork spends the
     * submitter's the same way): an account's first transaction is a self-transfer through Web3j's manager, mined
     * before the account signs its own nonces.
     */
    static void spendNonceZero(LocalChain chain, Credentials who) throws Exception {
        if (chain.web3j().ethGetTransactionCount(who.getAddress(), org.web3j.protocol.core.DefaultBlockParameterName.PENDING).send()
                .getTransactionCount().signum() == 0) {
            EthSendTransaction sent = transactions(chain, who).sendTransaction(GAS_PRICE, BigInteger.valueOf(21_000), who.getAddress(), "",
                    BigInteger.ZERO);
            if (sent.hasError()) {
                throw new IllegalStateException("chain " + chain.chainId() + ": spending nonce 0 of " + who.getAddress() + " failed: "
                        + sent.getError().getMessage());
            }
            receipts(chain).waitForTransactionReceipt(sent.getTransactionHash());
        }
    }

    static String binary(String contract) throws IOException {
        String resource = "/io/courier/contracts/solc/" + contract + ".bin";
        try (InputStream in = GasBench.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the classpath: build the contracts module");
            }
            return "0x" + new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    static TransactionManager transactions(LocalChain chain, Credentials who) {
        return new RawTransactionManager(chain.web3j(), who, chain.chainId(), receipts(chain));
    }

    static PollingTransactionReceiptProcessor receipts(LocalChain chain) {
        return new PollingTransactionReceiptProcessor(chain.web3j(), 20, 1500);
    }

    static String address(ECKeyPair key) {
        return "0x" + Keys.getAddress(key);
    }
}
