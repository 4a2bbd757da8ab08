package io.courier.contracts;

import static io.courier.contracts.Reverts.assertCustomError;
import static io.courier.contracts.TestValidators.KEYS;
import static io.courier.contracts.TestValidators.OUTSIDER;
import static io.courier.contracts.TestValidators.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@code Gateway.execute} on a real chain accepts exactly the valid attestations: each way a signature set can be
 * wrong is rejected with its own custom error (read from the eth_call revert data).
 */
@ExtendWith(LocalChainExtension.class)
class GatewayExecuteIT {

    private static final Logger log = LoggerFactory.getLogger(GatewayExecuteIT.class);
    private static final long SRC_CHAIN = 2002;
    private static final String SRC_GATEWAY = "0x00000000000000000000000000000000c0ffee01";
    private static final String SENDER = "0x1111111111111111111111111111111111111111";
    /** A plain account: no code, so delivery is just recording the id. */
    /** A recipient that accepts: a payload for an account without code would fail (see FailedMessageRetryIT). */
    private static String acceptingRecipient;
    private static final AtomicLong NONCES = new AtomicLong(100);

    private static LocalChain chain;
    private static Gateway gateway;
    private static String relayer;

    @BeforeAll
    static void deploy(@Chain(id = 1001) LocalChain localChain) throws Exception {
        chain = localChain;
        gateway = Deployments.gateway(chain);
        relayer = LocalChain.account(9).getAddress();
        acceptingRecipient = Deployments.recipient(chain, java.math.BigInteger.ZERO).getContractAddress();
    }

    @Test
    void twoOfThreeIsAcceptedAndDelivered() throws Exception {
        byte[] dense = new byte[96];
        Arrays.fill(dense, (byte) 0x5a);
        for (byte[] payload : List.of(new byte[96], dense)) {
            CrossChainMessage message = message(payload);
            TransactionReceipt receipt = Deployments.execute(gateway, message, sigs(message, KEYS.get(0), KEYS.get(2)));

            assertThat(receipt.isStatusOK()).isTrue();
            Gateway.MessageExecutedEventResponse executed = Deployments.executed(receipt);
            assertThat(executed.id).isEqualTo(message.id().bytes());
            assertThat(executed.srcChainId).isEqualTo(BigInteger.valueOf(SRC_CHAIN));
            assertThat(executed.nonce).isEqualTo(BigInteger.valueOf(message.nonce()));
            assertThat(executed.success).isTrue();
            assertThat(executed.revertData).isEmpty();
            assertThat(Deployments.status(gateway, message)).isEqualTo(BigInteger.ONE);
            log.info("GAS execute 2-of-3, 96-byte payload ({} bytes), EOA recipient: {}",
                    payload == dense ? "nonzero" : "zero", receipt.getGasUsed());
        }
    }

    @Test
    void threeOfThreeIsAccepted() throws Exception {
        CrossChainMessage message = message(new byte[96]);
        TransactionReceipt receipt = Deployments.execute(gateway, message, sigs(message, KEYS.get(0), KEYS.get(1), KEYS.get(2)));
        assertThat(Deployments.executed(receipt).success).isTrue();
        log.info("GAS execute 3-of-3, 96-byte payload (zero bytes), EOA recipient: {}", receipt.getGasUsed());
    }

    @Test
    void javaDigestIsTheContractsDigest() throws Exception {
        CrossChainMessage message = message(new byte[] {1, 2, 3});
        byte[] onChain = gateway.attestationDigest(message.id().bytes()).send();
        assertThat(Numeric.toHexString(onChain)).isEqualTo(AttestationDigest.of(message, gateway.getContractAddress()).toHex());
    }

    @Test
    void belowThresholdIsRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        assertCustomError(dryRun(message, sigs(message, KEYS.get(1))), "BelowThreshold(uint256,uint256)", 1, 2);
        assertCustomError(dryRun(message, List.of()), "BelowThreshold(uint256,uint256)", 0, 2);
    }

    @Test
    void duplicateSignerIsRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        assertCustomError(dryRun(message, sigs(message, KEYS.get(1), KEYS.get(1))),
                "DuplicateSigner(uint256,address)", 1, address(KEYS.get(1)));
    }

    @Test
    void unsortedSignersAreRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        assertCustomError(dryRun(message, sigs(message, KEYS.get(2), KEYS.get(0))),
                "SignersNotAscending(uint256,address)", 1, address(KEYS.get(0)));
    }

    @Test
    void nonValidatorIsRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        assertCustomError(dryRun(message, sigs(message, KEYS.get(0), OUTSIDER)),
                "NotValidator(uint256,address)", 1, address(OUTSIDER));
    }

    @Test
    void highSTwinIsRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        List<byte[]> signatures = new ArrayList<>(sigs(message, KEYS.get(0), KEYS.get(1)));
        signatures.set(1, highSTwin(signatures.get(1)));
        assertCustomError(dryRun(message, signatures), "HighS(uint256)", 1);
    }

    @Test
    void wrongLengthsAreRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        List<byte[]> signatures = new ArrayList<>(sigs(message, KEYS.get(0), KEYS.get(1)));
        signatures.set(0, Arrays.copyOf(signatures.get(0), 64));
        assertCustomError(dryRun(message, signatures), "SignatureLength(uint256)", 0);
        signatures = new ArrayList<>(sigs(message, KEYS.get(0), KEYS.get(1)));
        signatures.set(1, Arrays.copyOf(signatures.get(1), 66));
        assertCustomError(dryRun(message, signatures), "SignatureLength(uint256)", 1);
    }

    @Test
    void unrecoverableSignatureIsRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        List<byte[]> signatures = new ArrayList<>(sigs(message, KEYS.get(0), KEYS.get(1)));
        byte[] badV = signatures.get(0).clone();
        badV[64] = 29;
        signatures.set(0, badV);
        assertCustomError(dryRun(message, signatures), "InvalidSignature(uint256)", 0);
        byte[] zeroR = sigs(message, KEYS.get(1)).get(0);
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        assertCustomError(dryRun(message, List.of(sigs(message, KEYS.get(0)).get(0), zeroR)), "InvalidSignature(uint256)", 1);
    }

    @Test
    void signaturesForAnotherDomainAreRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        // Same message id, signed for another gateway address on this chain.
        AttestationDigest otherGateway = AttestationDigest.of(message.id(), chain.chainId(), SRC_GATEWAY);
        List<byte[]> forOtherGateway = List.of(ValidatorSignature.sign(otherGateway, KEYS.get(0)).bytes(),
                ValidatorSignature.sign(otherGateway, KEYS.get(1)).bytes());
        EthCall call = dryRun(message, forOtherGateway);
        String stranger = ValidatorSignature.fromBytes(forOtherGateway.get(0))
                .signer(AttestationDigest.of(message, gateway.getContractAddress()));
        assertCustomError(call, "NotValidator(uint256,address)", 0, stranger);

        // Same gateway address, but for another chain id.
        AttestationDigest otherChain = AttestationDigest.of(message.id(), 1, gateway.getContractAddress());
        List<byte[]> forOtherChain = List.of(ValidatorSignature.sign(otherChain, KEYS.get(0)).bytes(),
                ValidatorSignature.sign(otherChain, KEYS.get(1)).bytes());
        assertThat(Reverts.revertData(dryRun(message, forOtherChain))).startsWith(Reverts.selector("NotValidator(uint256,address)"));
    }

    @Test
    void signaturesForAnotherMessageAreRejected() throws Exception {
        CrossChainMessage message = message(new byte[0]);
        CrossChainMessage other = message(new byte[0]);
        assertThat(Reverts.revertData(dryRun(message, sigs(other, KEYS.get(0), KEYS.get(1)))))
                .startsWith(Reverts.selector("NotValidator(uint256,address)"));
    }

    @Test
    void replayIsRejected() throws Exception {
        CrossChainMessage message = message("once".getBytes());
        List<byte[]> signatures = sigs(message, KEYS.get(1), KEYS.get(2));
        Deployments.execute(gateway, message, signatures);
        assertCustomError(dryRun(message, signatures), "AlreadyExecuted(bytes32)", message.id().bytes());
        // Another valid set of signatures does not make it new either.
        assertCustomError(dryRun(message, sigs(message, KEYS.get(0), KEYS.get(1))), "AlreadyExecuted(bytes32)", message.id().bytes());
    }

    @Test
    void validatorSetAndViews() throws Exception {
        assertThat(gateway.threshold().send()).isEqualTo(BigInteger.TWO);
        assertThat(gateway.handlerGasLimit().send()).isEqualTo(BigInteger.valueOf(Deployments.HANDLER_GAS_LIMIT));
        @SuppressWarnings("unchecked")
        List<String> validators = gateway.validators().send();
        assertThat(validators).map(String::toLowerCase).containsExactlyElementsOf(TestValidators.addresses());
        assertThat(gateway.isValidator(address(OUTSIDER)).send()).isFalse();
        assertThat(gateway.messageStatus(BigInteger.ONE, "0x" + "00".repeat(20), BigInteger.ZERO, new byte[32]).send()).isZero();
    }

    private static CrossChainMessage message(byte[] payload) {
        return new CrossChainMessage(SRC_CHAIN, SRC_GATEWAY, NONCES.getAndIncrement(), chain.chainId(), SENDER, acceptingRecipient, payload);
    }

    private static List<byte[]> sigs(CrossChainMessage message, ECKeyPair... keys) {
        return TestValidators.signatures(message, gateway.getContractAddress(), keys);
    }

    private static EthCall dryRun(CrossChainMessage message, List<byte[]> signatures) throws Exception {
        return Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), Deployments.executeCalldata(gateway, message, signatures));
    }

    /** The same signature with s' = n - s and the other v: valid for plain ecrecover, refused by the gateway. */
    static byte[] highSTwin(byte[] signature) {
        BigInteger s = Numeric.toBigInt(Arrays.copyOfRange(signature, 32, 64));
        byte[] twin = signature.clone();
        System.arraycopy(Numeric.toBytesPadded(ValidatorSignature.CURVE_ORDER.subtract(s), 32), 0, twin, 32, 32);
        twin[64] = (byte) (signature[64] == 27 ? 28 : 27);
        return twin;
    }
}
