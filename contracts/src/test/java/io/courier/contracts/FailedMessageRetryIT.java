package io.courier.contracts;

import static io.courier.contracts.Reverts.assertCustomError;
import static io.courier.contracts.TestValidators.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.CrossChainMessage;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * A recipient that reverts: the message is marked Failed without reverting the relayer's transaction, can no
 * longer be executed, and {@code retry} delivers it once the recipient accepts. Also the gas guard: a relayer
 * cannot make a good message fail by attaching too little gas.
 */
@ExtendWith(LocalChainExtension.class)
class FailedMessageRetryIT {

    private static final Logger log = LoggerFactory.getLogger(FailedMessageRetryIT.class);
    private static final long SRC_CHAIN = 3003;
    private static final String SRC_GATEWAY = "0x00000000000000000000000000000000c0ffee03";
    private static final String SENDER = "0x3333333333333333333333333333333333333333";
    private static final BigInteger ACCEPT = BigInteger.ZERO;
    private static final BigInteger REFUSE = BigInteger.ONE;
    private static final BigInteger BURN_GAS = BigInteger.TWO;
    private static final BigInteger REFUSE_VERBOSELY = BigInteger.valueOf(3);
    private static final BigInteger NONE = BigInteger.ZERO;
    private static final BigInteger DELIVERED = BigInteger.ONE;
    private static final BigInteger FAILED = BigInteger.TWO;
    private static final AtomicLong NONCES = new AtomicLong();

    private static LocalChain chain;
    private static Gateway gateway;
    private static String relayer;

    @BeforeAll
    static void deploy(@Chain(id = 1001) LocalChain localChain) throws Exception {
        chain = localChain;
        gateway = Deployments.gateway(chain);
        relayer = LocalChain.account(9).getAddress();
    }

    @Test
    void revertingRecipientFailsTheMessageAndRetryDeliversIt() throws Exception {
        TestRecipient recipient = recipient(REFUSE);
        CrossChainMessage message = message(recipient, "pay 5");
        byte[] id = message.id().bytes();
        List<byte[]> signatures = TestValidators.signatures(message, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1));

        TransactionReceipt receipt = Deployments.execute(gateway, message, signatures);
        assertThat(receipt.isStatusOK()).as("execute does not revert for a failing recipient").isTrue();
        Gateway.MessageExecutedEventResponse executed = Deployments.executed(receipt);
        assertThat(executed.success).isFalse();
        assertThat(Reverts.decodeArguments("Refused(uint256,address,string)", Numeric.toHexString(executed.revertData)))
                .containsExactly(BigInteger.valueOf(SRC_CHAIN), SENDER, "recipient switched off");
        assertThat(Deployments.status(gateway, message)).isEqualTo(FAILED);
        log.info("GAS execute 2-of-3 to a reverting recipient: {}", receipt.getGasUsed());

        // Not executable again, whatever signatures come with it.
        assertCustomError(dryRunExecute(message, signatures), "AlreadyFailed(bytes32)", id);
        // Retry while the recipient still refuses: reverts, nothing changes.
        EthCall stillRefused = Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), Deployments.retryCalldata(gateway, message));
        assertThat(Reverts.revertData(stillRefused)).startsWith(Reverts.selector("RetryFailed(bytes32,bytes)"));

        recipient.setMode(ACCEPT).send();
        TransactionReceipt retried = Deployments.as(chain, gateway, LocalChain.account(5)).retry(BigInteger.valueOf(SRC_CHAIN), SRC_GATEWAY,
                BigInteger.valueOf(message.nonce()), SENDER, recipient.getContractAddress(), message.payload()).send();
        Gateway.MessageExecutedEventResponse delivered = Deployments.executed(retried);
        assertThat(delivered.id).isEqualTo(id);
        assertThat(delivered.success).isTrue();
        assertThat(Deployments.status(gateway, message)).isEqualTo(DELIVERED);
        assertThat(recipient.handled().send()).isEqualTo(BigInteger.ONE);
        assertThat(recipient.lastPayload().send()).isEqualTo(message.payload());
        assertThat(recipient.lastSrcChainId().send()).isEqualTo(BigInteger.valueOf(SRC_CHAIN));
        assertThat(recipient.lastSender().send()).isEqualToIgnoringCase(SENDER);
        log.info("GAS retry of a failed message (recipient stores the payload): {}", retried.getGasUsed());

        assertCustomError(Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), Deployments.retryCalldata(gateway, message)),
                "NotFailed(bytes32,uint8)", id, 1);
        assertCustomError(dryRunExecute(message, signatures), "AlreadyExecuted(bytes32)", id);
    }

    @Test
    void retryOfUnknownMessageIsRejected() throws Exception {
        CrossChainMessage message = message(recipient(ACCEPT), "never executed");
        assertCustomError(Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), Deployments.retryCalldata(gateway, message)),
                "NotFailed(bytes32,uint8)", message.id().bytes(), 0);
    }

    @Test
    void revertDataIsCutToTheBound() throws Exception {
        TestRecipient recipient = recipient(REFUSE_VERBOSELY);
        CrossChainMessage message = message(recipient, "verbose");
        TransactionReceipt receipt = Deployments.execute(gateway, message,
                TestValidators.signatures(message, gateway.getContractAddress(), KEYS.get(1), KEYS.get(2)));
        Gateway.MessageExecutedEventResponse executed = Deployments.executed(receipt);
        assertThat(executed.success).isFalse();
        assertThat(executed.revertData).hasSize(gateway.MAX_REVERT_DATA().send().intValueExact());
        assertThat(Numeric.toHexString(executed.revertData)).startsWith(Reverts.selector("Refused(uint256,address,string)"));
    }

    @Test
    void tooLittleGasRevertsInsteadOfFailingTheMessage() throws Exception {
        TestRecipient recipient = recipient(BURN_GAS);
        CrossChainMessage message = message(recipient, "hungry");
        List<byte[]> signatures = TestValidators.signatures(message, gateway.getContractAddress(), KEYS.get(0), KEYS.get(2));
        String calldata = Deployments.executeCalldata(gateway, message, signatures);

        // Enough for the signature checks but not for the handler's full 200k: the whole call reverts.
        EthCall starved = Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), calldata, 230_000);
        assertThat(Reverts.revertData(starved)).startsWith(Reverts.selector("InsufficientGas(bytes32,uint256,uint256)"));
        List<Object> args = Reverts.decodeArguments("InsufficientGas(bytes32,uint256,uint256)", Reverts.revertData(starved));
        BigInteger required = (BigInteger) args.get(2);
        assertThat(required).isGreaterThan(BigInteger.valueOf(Deployments.HANDLER_GAS_LIMIT));
        assertThat(Deployments.status(gateway, message)).isEqualTo(NONE);

        // With enough gas the handler gets its full limit, burns it and the message is Failed: its own fault.
        TransactionReceipt receipt = Deployments.execute(gateway, message, signatures);
        assertThat(Deployments.executed(receipt).success).isFalse();
        assertThat(Deployments.status(gateway, message)).isEqualTo(FAILED);
        assertThat(receipt.getGasUsed()).isGreaterThan(BigInteger.valueOf(Deployments.HANDLER_GAS_LIMIT));
    }

    @Test
    void aMessageWithoutPayloadToAnAccountWithoutCodeIsDelivered() throws Exception {
        CrossChainMessage message = new CrossChainMessage(SRC_CHAIN, SRC_GATEWAY, NONCES.getAndIncrement(), chain.chainId(), SENDER,
                "0x4444444444444444444444444444444444444444", new byte[0]);
        TransactionReceipt receipt = Deployments.execute(gateway, message,
                TestValidators.signatures(message, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1)));
        assertThat(Deployments.executed(receipt).success).isTrue();
        assertThat(Deployments.status(gateway, message)).isEqualTo(DELIVERED);
    }

    /** A payload for an account without code would be lost: Failed, and a retry waits until code is there. */
    @Test
    void aPayloadForAnAccountWithoutCodeFailsAndIsNotRetriedWhileThereIsNoCode() throws Exception {
        CrossChainMessage message = new CrossChainMessage(SRC_CHAIN, SRC_GATEWAY, NONCES.getAndIncrement(), chain.chainId(), SENDER,
                "0x4444444444444444444444444444444444444445", "to a wallet".getBytes(StandardCharsets.UTF_8));
        TransactionReceipt receipt = Deployments.execute(gateway, message,
                TestValidators.signatures(message, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1)));
        assertThat(receipt.isStatusOK()).isTrue();
        assertThat(Deployments.executed(receipt).success).isFalse();
        assertThat(Deployments.executed(receipt).revertData).isEmpty();
        assertThat(Deployments.status(gateway, message)).isEqualTo(FAILED);
        EthCall retry = Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), Deployments.retryCalldata(gateway, message));
        assertThat(Reverts.revertData(retry)).startsWith(Reverts.selector("RetryFailed(bytes32,bytes)"));
    }

    private static TestRecipient recipient(BigInteger mode) throws Exception {
        return Deployments.recipient(chain, mode);
    }

    private static CrossChainMessage message(TestRecipient recipient, String payload) {
        return new CrossChainMessage(SRC_CHAIN, SRC_GATEWAY, NONCES.getAndIncrement(), chain.chainId(), SENDER,
                recipient.getContractAddress(), payload.getBytes(StandardCharsets.UTF_8));
    }

    private static EthCall dryRunExecute(CrossChainMessage message, List<byte[]> signatures) throws Exception {
        return Reverts.call(chain.web3j(), relayer, gateway.getContractAddress(), Deployments.executeCalldata(gateway, message, signatures));
    }
}
