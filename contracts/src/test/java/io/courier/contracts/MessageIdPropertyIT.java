package io.courier.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The Java message id and attestation digest equal the contract's for random inputs, asked of a real gateway
 * (eth_call of {@code computeMessageId} / {@code attestationDigest}) and read from real {@code MessageSent} logs.
 * jqwik has its own lifecycle, so the chain is started here rather than by the JUnit extension.
 */
class MessageIdPropertyIT {

    private static final Logger log = LoggerFactory.getLogger(MessageIdPropertyIT.class);
    private static final long CHAIN_ID = 1001;

    private static LocalChain chain;
    private static Gateway gateway;
    private static Gateway senderView;

    @BeforeContainer
    static void start() throws Exception {
        chain = LocalChain.start(LocalChain.Options.chainId(CHAIN_ID).name("MessageIdPropertyIT"));
        gateway = Deployments.gateway(chain);
        senderView = Deployments.as(chain, gateway, LocalChain.account(3));
    }

    @AfterContainer
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @Property(tries = 50)
    void javaIdEqualsContractId(@ForAll("messages") CrossChainMessage message) throws Exception {
        byte[] onChain = gateway.computeMessageId(BigInteger.valueOf(message.srcChainId()), message.srcGateway(),
                BigInteger.valueOf(message.nonce()), BigInteger.valueOf(message.dstChainId()), message.sender(), message.recipient(),
                message.payload()).send();
        assertThat(MessageId.of(onChain)).as("id of %s", message).isEqualTo(message.id());
    }

    @Property(tries = 30)
    void javaDigestEqualsContractDigest(@ForAll @Size(32) byte[] id) throws Exception {
        byte[] onChain = gateway.attestationDigest(id).send();
        assertThat(Numeric.toHexString(onChain))
                .isEqualTo(AttestationDigest.of(MessageId.of(id), CHAIN_ID, gateway.getContractAddress()).toHex());
    }

    @Property(tries = 15)
    void sentMessagesCarryTheJavaId(@ForAll("addresses") String recipient, @ForAll("destinations") long dstChainId,
            @ForAll @Size(max = 200) byte[] payload) throws Exception {
        TransactionReceipt receipt = senderView.send(BigInteger.valueOf(dstChainId), recipient, payload, BigInteger.ZERO).send();
        Gateway.MessageSentEventResponse sent = Deployments.sent(receipt);
        CrossChainMessage message = Deployments.message(CHAIN_ID, gateway.getContractAddress(), sent);

        assertThat(message.sender()).isEqualTo(LocalChain.account(3).getAddress().toLowerCase());
        assertThat(message.recipient()).isEqualTo(recipient);
        assertThat(message.payload()).isEqualTo(payload);
        assertThat(MessageId.of(sent.id)).isEqualTo(message.id());
        assertThat(sent.nonce.add(BigInteger.ONE)).isEqualTo(gateway.outboundNonce().send());
    }

    /** Gas of a plain {@code send} from an account, with the 96-byte payload of a bridge transfer. */
    @Example
    void sendGas() throws Exception {
        String recipient = "0x5555555555555555555555555555555555555555";
        for (int i = 0; i < 2; i++) {
            TransactionReceipt receipt = senderView.send(BigInteger.valueOf(1002), recipient, new byte[96], BigInteger.ZERO).send();
            assertThat(Deployments.sent(receipt).payload).hasSize(96);
            log.info("GAS send, 96-byte payload (zero bytes), nonce {}: {}", Deployments.sent(receipt).nonce, receipt.getGasUsed());
        }
        byte[] dense = new byte[96];
        Arrays.fill(dense, (byte) 0x5a);
        TransactionReceipt receipt = senderView.send(BigInteger.valueOf(1002), recipient, dense, BigInteger.ZERO).send();
        log.info("GAS send, 96-byte payload (nonzero bytes): {}", receipt.getGasUsed());
    }

    @Provide
    Arbitrary<CrossChainMessage> messages() {
        Arbitrary<Long> chainIds = Arbitraries.longs().between(1, Long.MAX_VALUE).edgeCases(c -> c.includeOnly(1L, Long.MAX_VALUE));
        Arbitrary<Long> nonces = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(chainIds, addresses(), nonces, chainIds, addresses(), addresses(), payloads)
                .as(CrossChainMessage::new);
    }

    @Provide
    Arbitrary<String> addresses() {
        return Arbitraries.bytes().array(byte[].class).ofSize(20).map(Numeric::toHexString);
    }

    @Provide
    Arbitrary<Long> destinations() {
        return Arbitraries.longs().between(1, 1L << 53).filter(id -> id != CHAIN_ID);
    }
}
