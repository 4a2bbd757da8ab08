package io.courier.contracts;

import static io.courier.contracts.Reverts.assertCustomError;
import static io.courier.contracts.TestValidators.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The batched paths (ADR 008): {@code executeBatch} (per-message signatures) and {@code executeCheckpoint} (one
 * signed root over a contiguous nonce range, recomputed on chain), with the nonce bitmap as the one replay truth.
 * Each test uses its own source gateway, so its nonces start from a fresh bitmap.
 */
@ExtendWith(LocalChainExtension.class)
class CheckpointIT {

    private static final Logger log = LoggerFactory.getLogger(CheckpointIT.class);
    private static final long SRC_CHAIN = 5005;
    private static final String SENDER = "0x5555555555555555555555555555555555555555";
    private static final String EOA = "0x6666666666666666666666666666666666666666";
    /** A recipient that accepts everything, for ranges whose recipients are not what the test is about. */
    private static String sink;
    private static final BigInteger NONE = BigInteger.ZERO;
    private static final BigInteger DELIVERED = BigInteger.ONE;
    private static final BigInteger FAILED = BigInteger.TWO;
    private static final AtomicLong ROUTES = new AtomicLong(1);
    /** The test gateway's set as configured (TestValidators order), threshold 2. */
    private static final GatewayCalldata.ValidatorSet SET = new GatewayCalldata.ValidatorSet(TestValidators.THRESHOLD,
            TestValidators.addresses());

    private static LocalChain chain;
    private static Gateway gateway;
    private static String relayer;

    @BeforeAll
    static void deploy(@Chain(id = 1001) LocalChain localChain) throws Exception {
        chain = localChain;
        gateway = Deployments.gateway(chain);
        relayer = LocalChain.account(9).getAddress();
        sink = recipient(BigInteger.ZERO).getContractAddress();
    }

    @Test
    void checkpointDeliversTheRangeAndIsolatesAFailingRecipient() throws Exception {
        TestRecipient accepting = recipient(BigInteger.ZERO);
        TestRecipient refusing = recipient(BigInteger.ONE);
        String src = freshSourceGateway();
        List<CrossChainMessage> range = new ArrayList<>();
        for (long nonce = 0; nonce < 5; nonce++) {
            String to = nonce == 2 ? refusing.getContractAddress() : nonce == 4 ? EOA : accepting.getContractAddress();
            range.add(message(src, nonce, to, "range " + nonce));
        }
        TransactionReceipt receipt = Deployments.transact(chain, gateway, checkpoint(range, KEYS.get(0), KEYS.get(2)));

        assertThat(receipt.isStatusOK()).isTrue();
        Gateway.CheckpointExecutedEventResponse done = Gateway.getCheckpointExecutedEvents(receipt).get(0);
        assertThat(done.srcChainId).isEqualTo(BigInteger.valueOf(SRC_CHAIN));
        assertThat(done.srcGateway).isEqualToIgnoringCase(src);
        assertThat(done.firstNonce).isZero();
        assertThat(done.lastNonce).isEqualTo(BigInteger.valueOf(4));
        assertThat(done.root).isEqualTo(CheckpointRoot.ofMessages(range).value().bytes());
        assertThat(done.failed).isEqualTo(BigInteger.TWO);
        // only the failures have their own event: the refusing recipient's with its revert data, and the payload for
        // an account without code (nonce 4) with none
        List<Gateway.MessageExecutedEventResponse> failures = Gateway.getMessageExecutedEvents(receipt);
        assertThat(failures).hasSize(2);
        Gateway.MessageExecutedEventResponse failure = failures.get(0);
        assertThat(failure.id).isEqualTo(range.get(2).id().bytes());
        assertThat(failure.nonce).isEqualTo(BigInteger.TWO);
        assertThat(failure.success).isFalse();
        assertThat(Numeric.toHexString(failure.revertData)).startsWith(Reverts.selector("Refused(uint256,address,string)"));
        assertThat(failures.get(1).id).isEqualTo(range.get(4).id().bytes());
        assertThat(failures.get(1).success).isFalse();
        assertThat(failures.get(1).revertData).isEmpty();

        assertThat(accepting.handled().send()).isEqualTo(BigInteger.valueOf(3));
        assertThat(accepting.lastPayload().send()).isEqualTo(range.get(3).payload());
        assertThat(accepting.lastSender().send()).isEqualToIgnoringCase(SENDER);
        assertThat(accepting.lastSrcChainId().send()).isEqualTo(BigInteger.valueOf(SRC_CHAIN));
        for (CrossChainMessage m : range) {
            assertThat(Deployments.status(gateway, m)).as("status of nonce %d", m.nonce())
                    .isEqualTo(m.nonce() == 2 || m.nonce() == 4 ? FAILED : DELIVERED);
        }

        // the failed one is kept apart for retry, which delivers it
        refusing.setMode(BigInteger.ZERO).send();
        CrossChainMessage failed = range.get(2);
        TransactionReceipt retried = gateway.retry(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.TWO, SENDER, failed.recipient(),
                failed.payload()).send();
        assertThat(Deployments.executed(retried).success).isTrue();
        assertThat(Deployments.status(gateway, failed)).isEqualTo(DELIVERED);
        assertThat(refusing.handled().send()).isOne();
    }

    @Test
    void batchWithPerMessageSignaturesIsolatesAFailingRecipient() throws Exception {
        TestRecipient accepting = recipient(BigInteger.ZERO);
        TestRecipient refusing = recipient(BigInteger.ONE);
        String src = freshSourceGateway();
        // any nonces of the route, in any order
        List<CrossChainMessage> messages = List.of(message(src, 7, accepting.getContractAddress(), "a"),
                message(src, 3, refusing.getContractAddress(), "b"), message(src, 300, accepting.getContractAddress(), "c"));
        List<GatewayCalldata.Signed> batch = messages.stream().map(m -> new GatewayCalldata.Signed(m,
                List.of(TestValidators.sign(m, gateway.getContractAddress(), KEYS.get(0)),
                        TestValidators.sign(m, gateway.getContractAddress(), KEYS.get(1))))).toList();

        TransactionReceipt receipt = Deployments.transact(chain, gateway, GatewayCalldata.executeBatch(SET, batch));

        assertThat(receipt.isStatusOK()).as("a reverting recipient does not revert the batch").isTrue();
        // successes are announced lean, the failure with its revert data
        assertThat(Gateway.getMessageDeliveredEvents(receipt)).extracting(e -> Numeric.toHexString(e.id))
                .containsExactly(messages.get(0).id().toHex(), messages.get(2).id().toHex());
        Gateway.MessageExecutedEventResponse failure = Deployments.executed(receipt);
        assertThat(failure.id).isEqualTo(messages.get(1).id().bytes());
        assertThat(failure.success).isFalse();
        assertThat(accepting.handled().send()).isEqualTo(BigInteger.TWO);
        assertThat(Deployments.status(gateway, messages.get(0))).isEqualTo(DELIVERED);
        assertThat(Deployments.status(gateway, messages.get(1))).isEqualTo(FAILED);
        assertThat(Deployments.status(gateway, messages.get(2))).isEqualTo(DELIVERED);

        // the bitmap is every path's replay truth: the lone path refuses them, and so does another batch
        assertCustomError(dryRun(Deployments.executeCalldata(gateway, messages.get(0),
                TestValidators.signatures(messages.get(0), gateway.getContractAddress(), KEYS.get(0), KEYS.get(1)))),
                "AlreadyExecuted(bytes32)", messages.get(0).id().bytes());
        assertCustomError(dryRun(GatewayCalldata.executeBatch(SET, batch.subList(1, 2))), "AlreadyFailed(bytes32)", messages.get(1).id().bytes());
        // one badly signed message reverts the whole batch
        CrossChainMessage next = message(src, 8, sink, "d");
        GatewayCalldata.Signed alone = new GatewayCalldata.Signed(next, List.of(TestValidators.sign(next, gateway.getContractAddress(), KEYS.get(0))));
        assertCustomError(dryRun(GatewayCalldata.executeBatch(SET, List.of(alone))), "BelowThreshold(uint256,uint256)", 1, 2);
    }

    @Test
    void forgedOrReorderedMessageDoesNotMatchTheSignedRoot() throws Exception {
        String src = freshSourceGateway();
        // distinct payloads, so that swapping two messages changes something
        List<CrossChainMessage> range = LongStream.range(0, 4).mapToObj(n -> message(src, n, sink, "payload " + n)).toList();
        CheckpointRoot root = CheckpointRoot.ofMessages(range);
        List<ValidatorSignature> signatures = TestValidators.signCheckpoint(range, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1));

        // one payload changed: the recomputed root differs
        List<CrossChainMessage> forged = new ArrayList<>(range);
        CrossChainMessage original = range.get(2);
        forged.set(2, new CrossChainMessage(original.srcChainId(), src, 2, original.dstChainId(), original.sender(), original.recipient(),
                "pay 1000000".getBytes(StandardCharsets.UTF_8)));
        assertCustomError(dryRun(GatewayCalldata.executeCheckpoint(forged, root, SET, signatures)), "RootMismatch(bytes32,bytes32)",
                root.value().bytes(), CheckpointRoot.ofMessages(forged).value().bytes());
        // the forger sends the root of the forged range: the validators never signed it
        String withForgedRoot = GatewayCalldata.executeCheckpoint(forged, CheckpointRoot.ofMessages(forged), SET, signatures);
        assertThat(Reverts.revertData(dryRun(withForgedRoot))).startsWith(Reverts.selector("NotValidator(uint256,address)"));

        // two messages swapped: their nonces are their positions, so the ids (and the root) change
        List<CrossChainMessage> reordered = new ArrayList<>();
        for (int i = 0; i < range.size(); i++) {
            CrossChainMessage m = range.get(i == 1 ? 3 : i == 3 ? 1 : i);
            reordered.add(new CrossChainMessage(m.srcChainId(), src, i, m.dstChainId(), m.sender(), m.recipient(), m.payload()));
        }
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(reordered, root, SET, signatures))))
                .startsWith(Reverts.selector("RootMismatch(bytes32,bytes32)"));
        // a message left out
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(range.subList(0, 3), root, SET, signatures))))
                .startsWith(Reverts.selector("RootMismatch(bytes32,bytes32)"));

        // the genuine range goes through
        assertThat(Deployments.transact(chain, gateway, GatewayCalldata.executeCheckpoint(range, root, SET, signatures)).isStatusOK()).isTrue();
        assertThat(Deployments.status(gateway, range.get(3))).isEqualTo(DELIVERED);
    }

    @Test
    void replayedOrOverlappingRangeIsRefused() throws Exception {
        String src = freshSourceGateway();
        List<CrossChainMessage> range = range(src, 0, 10);
        String calldata = checkpoint(range, KEYS.get(1), KEYS.get(2));
        assertThat(Deployments.transact(chain, gateway, calldata).isStatusOK()).isTrue();

        assertCustomError(dryRun(calldata), "AlreadyExecuted(bytes32)", range.get(0).id().bytes());
        List<CrossChainMessage> overlapping = range(src, 8, 4);
        assertCustomError(dryRun(checkpoint(overlapping, KEYS.get(0), KEYS.get(1))), "AlreadyExecuted(bytes32)", overlapping.get(0).id().bytes());

        // a message of a later range delivered alone first: the range is refused at that message
        CrossChainMessage lone = range(src, 13, 1).get(0);
        Deployments.execute(gateway, lone, TestValidators.signatures(lone, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1)));
        List<CrossChainMessage> later = range(src, 10, 6);
        assertCustomError(dryRun(checkpoint(later, KEYS.get(0), KEYS.get(1))), "AlreadyExecuted(bytes32)", lone.id().bytes());
        assertThat(Deployments.status(gateway, later.get(0))).isEqualTo(NONE);
    }

    @Test
    void bitmapWordBoundariesAt255And256And257() throws Exception {
        String src = freshSourceGateway();
        CrossChainMessage at256 = range(src, 256, 1).get(0);
        Deployments.execute(gateway, at256, TestValidators.signatures(at256, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1)));

        // 250..255 ends on the last bit of word 0; 255..257 crosses into word 1 and meets 256
        assertThat(Deployments.transact(chain, gateway, checkpoint(range(src, 250, 6), KEYS.get(0), KEYS.get(1))).isStatusOK()).isTrue();
        List<CrossChainMessage> crossing = range(src, 255, 3);
        assertCustomError(dryRun(checkpoint(crossing, KEYS.get(0), KEYS.get(1))), "AlreadyExecuted(bytes32)", crossing.get(0).id().bytes());
        List<CrossChainMessage> from256 = range(src, 256, 2);
        assertCustomError(dryRun(checkpoint(from256, KEYS.get(0), KEYS.get(1))), "AlreadyExecuted(bytes32)", at256.id().bytes());
        // 257..260 starts on bit 1 of word 1
        assertThat(Deployments.transact(chain, gateway, checkpoint(range(src, 257, 4), KEYS.get(0), KEYS.get(1))).isStatusOK()).isTrue();

        BigInteger word0 = gateway.executedWord(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.ZERO).send();
        BigInteger word1 = gateway.executedWord(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.ONE).send();
        assertThat(word0).isEqualTo(bits(250, 255));
        assertThat(word1).isEqualTo(bits(0, 4));
        assertThat(Deployments.status(gateway, range(src, 249, 1).get(0))).isEqualTo(NONE);
        assertThat(Deployments.status(gateway, range(src, 255, 1).get(0))).isEqualTo(DELIVERED);
        assertThat(Deployments.status(gateway, range(src, 257, 1).get(0))).isEqualTo(DELIVERED);
        assertThat(Deployments.status(gateway, range(src, 261, 1).get(0))).isEqualTo(NONE);

        // a range filling whole words (512..1023): every bit of words 2 and 3, nothing of word 4
        TransactionReceipt full = Deployments.transact(chain, gateway, checkpoint(range(src, 512, 512), KEYS.get(0), KEYS.get(1)));
        assertThat(full.isStatusOK()).isTrue();
        assertThat(gateway.executedWord(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.TWO).send()).isEqualTo(bits(0, 255));
        assertThat(gateway.executedWord(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.valueOf(3)).send()).isEqualTo(bits(0, 255));
        assertThat(gateway.executedWord(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.valueOf(4)).send()).isZero();
    }

    @Test
    void rootSignedForAnotherDestinationGatewayOrChainIsRefused() throws Exception {
        String src = freshSourceGateway();
        List<CrossChainMessage> range = range(src, 0, 3);
        CheckpointRoot root = CheckpointRoot.ofMessages(range);
        String otherGateway = "0x00000000000000000000000000000000000dead1";
        List<ValidatorSignature> forOtherGateway = sign(CheckpointDigest.of(SRC_CHAIN, src, 0, 2, root, chain.chainId(), otherGateway));
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(range, root, SET, forOtherGateway))))
                .startsWith(Reverts.selector("NotValidator(uint256,address)"));
        List<ValidatorSignature> forOtherChain = sign(CheckpointDigest.of(SRC_CHAIN, src, 0, 2, root, 4242, gateway.getContractAddress()));
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(range, root, SET, forOtherChain))))
                .startsWith(Reverts.selector("NotValidator(uint256,address)"));
        // the same range claimed for another source gateway: its ids, hence its root, are not the ones signed
        List<CrossChainMessage> otherSource = range.stream().map(m -> new CrossChainMessage(m.srcChainId(), otherGateway, m.nonce(),
                m.dstChainId(), m.sender(), m.recipient(), m.payload())).toList();
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(otherSource, root, SET,
                sign(CheckpointDigest.of(range, gateway.getContractAddress()))))))
                .startsWith(Reverts.selector("RootMismatch(bytes32,bytes32)"));
        // a first or last nonce other than signed: the digest differs
        List<ValidatorSignature> shifted = sign(CheckpointDigest.of(SRC_CHAIN, src, 0, 3, root, chain.chainId(), gateway.getContractAddress()));
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(range, root, SET, shifted))))
                .startsWith(Reverts.selector("NotValidator(uint256,address)"));
    }

    @Test
    void belowThresholdUnsortedOrMalformedCheckpointIsRefused() throws Exception {
        String src = freshSourceGateway();
        List<CrossChainMessage> range = range(src, 0, 3);
        assertCustomError(dryRun(checkpoint(range, KEYS.get(2))), "BelowThreshold(uint256,uint256)", 1, 2);
        assertCustomError(dryRun(checkpoint(range)), "BelowThreshold(uint256,uint256)", 0, 2);
        String unsorted = checkpoint(range, KEYS.get(2), KEYS.get(0));
        assertThat(Reverts.revertData(dryRun(unsorted))).startsWith(Reverts.selector("SignersNotAscending(uint256,address)"));
        String duplicate = checkpoint(range, KEYS.get(1), KEYS.get(1));
        assertThat(Reverts.revertData(dryRun(duplicate))).startsWith(Reverts.selector("DuplicateSigner(uint256,address)"));
        List<ValidatorSignature> withOutsider = TestValidators.signCheckpoint(range, gateway.getContractAddress(), KEYS.get(0),
                TestValidators.OUTSIDER);
        assertThat(Reverts.revertData(dryRun(GatewayCalldata.executeCheckpoint(range, CheckpointRoot.ofMessages(range), SET, withOutsider))))
                .startsWith(Reverts.selector("NotValidator(uint256,address)"));

        // a messages argument cut inside the last message
        String whole = checkpoint(range, KEYS.get(0), KEYS.get(1));
        byte[] packed = GatewayCalldata.checkpointMessages(range);
        String cut = gateway.executeCheckpoint(BigInteger.valueOf(SRC_CHAIN), src, BigInteger.ZERO, CheckpointRoot.ofMessages(range).value().bytes(),
                SET.packed(),
                GatewayCalldata.packedSignatures(TestValidators.signCheckpoint(range, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1))),
                java.util.Arrays.copyOf(packed, packed.length - 1)).encodeFunctionCall();
        int lastStart = packed.length - (42 + range.get(2).payloadLength());
        assertCustomError(dryRun(cut), "MalformedMessages(uint256,uint256)", 2, lastStart);
        // the packed encoding is the wrapper's ABI encoding of the same arguments
        assertThat(cut.substring(0, 10)).isEqualTo(whole.substring(0, 10));
        assertThat(Deployments.status(gateway, range.get(0))).isEqualTo(NONE);
    }

    @Test
    void validatorSetInCalldataMustBeTheCurrentOne() throws Exception {
        assertThat(gateway.validatorSet().send()).isEqualTo(SET.packed());
        String src = freshSourceGateway();
        List<CrossChainMessage> range = range(src, 0, 2);
        List<ValidatorSignature> one = TestValidators.signCheckpoint(range, gateway.getContractAddress(), KEYS.get(0));
        // a relayer cannot lower the threshold, add a signer of its own or reorder the set
        GatewayCalldata.ValidatorSet lowered = new GatewayCalldata.ValidatorSet(1, TestValidators.addresses());
        EthCall call = dryRun(GatewayCalldata.executeCheckpoint(range, CheckpointRoot.ofMessages(range), lowered, one));
        assertThat(Reverts.revertData(call)).startsWith(Reverts.selector("ValidatorSetMismatch(bytes32,bytes32)"));
        List<String> withOutsider = new ArrayList<>(TestValidators.addresses());
        withOutsider.add(TestValidators.address(TestValidators.OUTSIDER));
        List<ValidatorSignature> outsiderToo = TestValidators.signCheckpoint(range, gateway.getContractAddress(), KEYS.get(0),
                TestValidators.OUTSIDER);
        call = dryRun(GatewayCalldata.executeCheckpoint(range, CheckpointRoot.ofMessages(range),
                new GatewayCalldata.ValidatorSet(2, withOutsider), outsiderToo));
        assertThat(Reverts.revertData(call)).startsWith(Reverts.selector("ValidatorSetMismatch(bytes32,bytes32)"));
        List<String> reversed = new ArrayList<>(TestValidators.addresses());
        java.util.Collections.reverse(reversed);
        call = dryRun(GatewayCalldata.executeBatch(new GatewayCalldata.ValidatorSet(2, reversed), List.of(new GatewayCalldata.Signed(range.get(0),
                TestValidators.signatures(range.get(0), gateway.getContractAddress(), KEYS.get(0), KEYS.get(1)).stream()
                        .map(ValidatorSignature::fromBytes).toList()))));
        assertThat(Reverts.revertData(call)).startsWith(Reverts.selector("ValidatorSetMismatch(bytes32,bytes32)"));
    }

    @Test
    void tooLittleGasForAHandlerRevertsTheWholeCheckpoint() throws Exception {
        TestRecipient accepting = recipient(BigInteger.ZERO);
        String src = freshSourceGateway();
        List<CrossChainMessage> range = new ArrayList<>();
        for (long nonce = 0; nonce < 3; nonce++) {
            range.add(message(src, nonce, accepting.getContractAddress(), "gas " + nonce));
        }
        String calldata = checkpoint(range, KEYS.get(0), KEYS.get(1));
        EthCall starved = Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), calldata, 300_000);
        assertThat(Reverts.revertData(starved)).startsWith(Reverts.selector("InsufficientGas(bytes32,uint256,uint256)"));
        assertThat(Deployments.status(gateway, range.get(0))).isEqualTo(NONE);
    }

    @Test
    void gasPerMessageOfACheckpoint() throws Exception {
        // the same figures as `./courier bench gas`, logged here for the README (grep GAS); no assertion on them
        String src = freshSourceGateway();
        for (int size : new int[] {1, 32, 128}) {
            long first = size == 1 ? 0 : size == 32 ? 1 : 33;
            List<CrossChainMessage> range = range(src, first, size);
            TransactionReceipt receipt = Deployments.transact(chain, gateway, checkpoint(range, KEYS.get(0), KEYS.get(1)));
            assertThat(receipt.isStatusOK()).isTrue();
            log.info("GAS executeCheckpoint 2-of-3, {} messages of 96 zero bytes to a TestRecipient: {} ({} per message)", size,
                    receipt.getGasUsed(), receipt.getGasUsed().divide(BigInteger.valueOf(size)));
        }
    }

    private static BigInteger bits(int from, int to) {
        BigInteger word = BigInteger.ZERO;
        for (int b = from; b <= to; b++) {
            word = word.setBit(b);
        }
        return word;
    }

    private static List<ValidatorSignature> sign(CheckpointDigest digest) {
        return List.of(ValidatorSignature.sign(digest, KEYS.get(0)), ValidatorSignature.sign(digest, KEYS.get(1)));
    }

    private static String checkpoint(List<CrossChainMessage> range, ECKeyPair... keys) {
        return GatewayCalldata.executeCheckpoint(range, CheckpointRoot.ofMessages(range), SET,
                TestValidators.signCheckpoint(range, gateway.getContractAddress(), keys));
    }

    private static EthCall dryRun(String calldata) throws Exception {
        return Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), calldata);
    }

    /** A source gateway no other test uses: its bitmap starts empty. */
    private static String freshSourceGateway() {
        return String.format("0x%040x", 0xc0ffee0000L + ROUTES.getAndIncrement());
    }

    /** {@code count} messages of {@code src} from nonce {@code first}, 96 zero-byte payloads, to an accepting recipient. */
    private static List<CrossChainMessage> range(String src, long first, int count) {
        return LongStream.range(first, first + count).mapToObj(n -> new CrossChainMessage(SRC_CHAIN, src, n, chain.chainId(), SENDER, sink,
                new byte[96])).toList();
    }

    private static CrossChainMessage message(String src, long nonce, String recipient, String payload) {
        return new CrossChainMessage(SRC_CHAIN, src, nonce, chain.chainId(), SENDER, recipient, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static TestRecipient recipient(BigInteger mode) throws Exception {
        return Deployments.recipient(chain, mode);
    }
}
