package io.courier.contracts;

import io.courier.chain.message.CrossChainMessage;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** Deploying and calling the contracts on a {@link LocalChain} from the tests. */
final class Deployments {

    static final BigInteger GAS_PRICE = BigInteger.valueOf(20_000_000_000L);
    /** Plenty for any call here; the gateway's gas guard is exercised with explicit eth_call gas instead. */
    static final BigInteger GAS_LIMIT = BigInteger.valueOf(6_000_000);
    static final ContractGasProvider GAS = new StaticGasProvider(GAS_PRICE, GAS_LIMIT);
    static final long HANDLER_GAS_LIMIT = 200_000;

    private Deployments() {}

    /** Signs EIP-155 transactions of {@code who} on {@code chain}; instamine makes receipts immediate. */
    static TransactionManager signer(LocalChain chain, Credentials who) {
        return new RawTransactionManager(chain.web3j(), who, chain.chainId(),
                new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400));
    }

    /** A gateway with the three test validators, threshold 2, deployed by account 0. */
    static Gateway gateway(LocalChain chain) throws Exception {
        return Gateway.deploy(chain.web3j(), signer(chain, LocalChain.account(0)), GAS, TestValidators.addresses(),
                BigInteger.valueOf(TestValidators.THRESHOLD), BigInteger.valueOf(HANDLER_GAS_LIMIT)).send();
    }

    /** A {@code TestRecipient} deployed by account 0, switched to {@code mode} (0 accepts). */
    static TestRecipient recipient(LocalChain chain, BigInteger mode) throws Exception {
        TestRecipient recipient = TestRecipient.deploy(chain.web3j(), signer(chain, LocalChain.account(0)), GAS).send();
        if (mode.signum() != 0) {
            recipient.setMode(mode).send();
        }
        return recipient;
    }

    /** The same contract seen through another account. */
    static Gateway as(LocalChain chain, Gateway gateway, Credentials who) {
        return Gateway.load(gateway.getContractAddress(), chain.web3j(), signer(chain, who), GAS);
    }

    /** The message a {@code MessageSent} log describes, read as the relayer reads it. */
    static CrossChainMessage message(long srcChainId, String srcGateway, Gateway.MessageSentEventResponse sent) {
        return new CrossChainMessage(srcChainId, srcGateway, sent.nonce.longValueExact(), sent.dstChainId.longValueExact(),
                sent.sender, sent.recipient, sent.payload);
    }

    /** A transaction of account 0 to the gateway with raw {@code calldata} (the packed batch paths), its receipt. */
    static TransactionReceipt transact(LocalChain chain, Gateway gateway, String calldata) throws Exception {
        EthSendTransaction sent = signer(chain, LocalChain.account(0))
                .sendTransaction(GAS_PRICE, GAS_LIMIT, gateway.getContractAddress(), calldata, BigInteger.ZERO);
        if (sent.hasError()) {
            throw new AssertionError("transaction to " + gateway.getContractAddress() + " refused: " + sent.getError().getMessage());
        }
        return new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400).waitForTransactionReceipt(sent.getTransactionHash());
    }

    /** {@code Gateway.messageStatus} of {@code m} (0 none, 1 delivered, 2 failed), asked by its fields. */
    static BigInteger status(Gateway gateway, CrossChainMessage m) throws Exception {
        return gateway.messageStatus(BigInteger.valueOf(m.srcChainId()), m.srcGateway(), BigInteger.valueOf(m.nonce()), m.id().bytes()).send();
    }

    /** The only {@code MessageSent} of a receipt. */
    static Gateway.MessageSentEventResponse sent(TransactionReceipt receipt) {
        List<Gateway.MessageSentEventResponse> events = Gateway.getMessageSentEvents(receipt);
        if (events.size() != 1) {
            throw new AssertionError("expected one MessageSent in tx " + receipt.getTransactionHash() + ", got " + events.size());
        }
        return events.get(0);
    }

    /** The only {@code MessageExecuted} of a receipt. */
    static Gateway.MessageExecutedEventResponse executed(TransactionReceipt receipt) {
        List<Gateway.MessageExecutedEventResponse> events = Gateway.getMessageExecutedEvents(receipt);
        if (events.size() != 1) {
            throw new AssertionError("expected one MessageExecuted in tx " + receipt.getTransactionHash() + ", got " + events.size());
        }
        return events.get(0);
    }

    /** {@code Gateway.execute} as a transaction. */
    static TransactionReceipt execute(Gateway gateway, CrossChainMessage m, List<byte[]> signatures) throws Exception {
        return gateway.execute(BigInteger.valueOf(m.srcChainId()), m.srcGateway(), BigInteger.valueOf(m.nonce()), m.sender(),
                m.recipient(), m.payload(), signatures).send();
    }

    /** The calldata of {@code Gateway.execute}, for eth_call. */
    static String executeCalldata(Gateway gateway, CrossChainMessage m, List<byte[]> signatures) {
        return gateway.execute(BigInteger.valueOf(m.srcChainId()), m.srcGateway(), BigInteger.valueOf(m.nonce()), m.sender(),
                m.recipient(), m.payload(), signatures).encodeFunctionCall();
    }

    static String retryCalldata(Gateway gateway, CrossChainMessage m) {
        return gateway.retry(BigInteger.valueOf(m.srcChainId()), m.srcGateway(), BigInteger.valueOf(m.nonce()), m.sender(),
                m.recipient(), m.payload()).encodeFunctionCall();
    }
}
