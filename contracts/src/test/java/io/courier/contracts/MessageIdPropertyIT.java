package io.courier.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The Java message id and attestation digest equal the contract's for random inputs, asked of a real gateway
 * (eth_call of {@code computeMessageId} / {@code attestationDigest}) and read from real {@code MessageSent} logs.
 * Each example is one or more RPC round trips, so these run fewer examples than the pure properties.
 */
@ExtendWith(LocalChainExtension.class)
class MessageIdPropertyIT {

    private static final Logger log = LoggerFactory.getLogger(MessageIdPropertyIT.class);
    private static final long CHAIN_ID = 1001;
    private static final String GAS_RECIPIENT = "0x5555555555555555555555555555555555555555";

    private static Gateway gateway;
    private static Gateway senderView;

    @BeforeAll
    static void deploy(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        gateway = Deployments.gateway(chain);
        senderView = Deployments.as(chain, gateway, LocalChain.account(3));
    }

    @Test
    void javaIdEqualsContractId() {
        qt().withExamples(50).forAll(messages()).checkAssert(message -> {
            byte[] onChain = call(() -> gateway.computeMessageId(BigInteger.valueOf(message.srcChainId()), message.srcGateway(),
                    BigInteger.valueOf(message.nonce()), BigInteger.valueOf(message.dstChainId()), message.sender(),
                    message.recipient(), message.payload()).send());
            assertThat(MessageId.of(onChain)).as("id of %s", message).isEqualTo(message.id());
        });
    }

    @Test
    void javaDigestEqualsContractDigest() {
        qt().withExamples(30).forAll(bytes(32, 32)).checkAssert(id -> {
            byte[] onChain = call(() -> gateway.attestationDigest(id).send());
            assertThat(Numeric.toHexString(onChain))
                    .isEqualTo(AttestationDigest.of(MessageId.of(id), CHAIN_ID, gateway.getContractAddress()).toHex());
        });
    }

    @Test
    void sentMessagesCarryTheJavaId() {
        qt().withExamples(15).forAll(addresses(), destinations(), bytes(0, 200)).checkAssert((recipient, dstChainId, payload) -> {
            TransactionReceipt receipt = send(dstChainId, recipient, payload);
            Gateway.MessageSentEventResponse sent = Deployments.sent(receipt);
            CrossChainMessage message = Deployments.message(CHAIN_ID, gateway.getContractAddress(), sent);

            assertThat(message.sender()).isEqualTo(LocalChain.account(3).getAddress().toLowerCase());
            assertThat(message.recipient()).isEqualTo(recipient);
            assertThat(message.payload()).isEqualTo(payload);
            assertThat(MessageId.of(sent.id)).isEqualTo(message.id());
            assertThat(sent.nonce.add(BigInteger.ONE)).isEqualTo(call(() -> gateway.outboundNonce(sent.dstChainId).send()));
        });
    }

    /**
     * Gas of a plain {@code send} from an account, against the EVM's gas schedule (Shanghai, as compiled):
     * <ul>
     *   <li>Two payloads of the same length run the same code on the same amount of data (keccak, copies, memory
     *       and log data are all charged by length, and the nonce slot is written nonzero to nonzero both times),
     *       so their gas differs only in calldata: 16 per nonzero byte, 4 per zero byte (EIP-2028). A payload
     *       with k nonzero bytes costs exactly 12k more than as many zero bytes.</li>
     *   <li>32 more payload bytes add one ABI word to the calldata (4 per zero byte: 128) and one to the
     *       {@code MessageSent} data (8 per byte: 256), so at least 384 gas. The rest is execution, which the
     *       schedule prices per word: 6 for keccak, 3 per word copied, 3 per word of memory grown (the quadratic
     *       memory term is under 1 gas at these sizes); a handful of copies stays within 48. So the growth is in
     *       [384, 432] (399 with the code solc emits today).</li>
     * </ul>
     * A {@code send} that carried another payload than claimed, or did work per payload byte beyond hashing and
     * logging it, misses these figures.
     */
    @Test
    void sendGasFollowsTheCalldataAndLogSchedule() {
        send(1002, GAS_RECIPIENT, new byte[96]); // the first send writes the nonce slot zero to nonzero (20000, not 2900)
        qt().withExamples(15).forAll(bytes(1, 268)).checkAssert(payload -> {
            long nonzero = countNonzero(payload);
            TransactionReceipt zeros = send(1002, GAS_RECIPIENT, new byte[payload.length]);
            TransactionReceipt dense = send(1002, GAS_RECIPIENT, payload);
            TransactionReceipt longer = send(1002, GAS_RECIPIENT, new byte[payload.length + 32]);
            log.info("GAS send, {}-byte payload: {} zero bytes {}, with {} nonzero bytes {}; {} zero bytes {}", payload.length,
                    payload.length, zeros.getGasUsed(), nonzero, dense.getGasUsed(), payload.length + 32, longer.getGasUsed());

            assertThat(dense.getGasUsed().subtract(zeros.getGasUsed()))
                    .as("gas of %s nonzero bytes over zero bytes", nonzero).isEqualTo(BigInteger.valueOf(12 * nonzero));
            assertThat(longer.getGasUsed().subtract(zeros.getGasUsed()).longValueExact())
                    .as("gas of 32 more payload bytes").isBetween(384L, 384L + 48);
            assertThat(Deployments.sent(dense).payload).isEqualTo(payload);
            assertThat(Deployments.sent(zeros).payload).isEqualTo(new byte[payload.length]);
        });
    }

    private static TransactionReceipt send(long dstChainId, String recipient, byte[] payload) {
        return call(() -> senderView.send(BigInteger.valueOf(dstChainId), recipient, payload, BigInteger.ZERO).send());
    }

    private static long countNonzero(byte[] bytes) {
        long n = 0;
        for (byte b : bytes) {
            n += b == 0 ? 0 : 1;
        }
        return n;
    }

    /** Ids from 1 to the largest long, both ends among the first examples; any nonce; payloads up to 300 bytes. */
    static Gen<CrossChainMessage> messages() {
        Gen<Long> chainIds = longs().between(1, Long.MAX_VALUE);
        Gen<Long> nonces = longs().between(0, Long.MAX_VALUE);
        Gen<byte[]> payloads = bytes(0, 300);
        Gen<String> addresses = addresses();
        Gen<CrossChainMessage> messages = in -> new CrossChainMessage(chainIds.generate(in), addresses.generate(in),
                nonces.generate(in), chainIds.generate(in), addresses.generate(in), addresses.generate(in), payloads.generate(in));
        return messages.describedAs(m -> m + " payload 0x" + HexFormat.of().formatHex(m.payload()));
    }

    static Gen<String> addresses() {
        return bytes(20, 20).map(Numeric::toHexString);
    }

    /** Any destination a JavaScript number can hold, but this chain. */
    static Gen<Long> destinations() {
        return longs().between(1, 1L << 53).assuming(id -> id != CHAIN_ID);
    }

    /** {@code min..max} bytes, each any value; shrinks towards shorter arrays of zeros. Shown in hex. */
    static Gen<byte[]> bytes(int min, int max) {
        return Generate.byteArrays(integers().between(min, max), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .describedAs(b -> "0x" + HexFormat.of().formatHex(b));
    }

    interface Rpc<T> {
        T send() throws Exception;
    }

    /** A contract call inside a property (whose lambdas cannot throw checked exceptions). */
    static <T> T call(Rpc<T> rpc) {
        try {
            return rpc.send();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("RPC to the gateway failed", e);
        }
    }
}
