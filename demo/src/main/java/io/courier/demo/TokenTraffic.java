package io.courier.demo;

import io.courier.contracts.Gateway;
import io.courier.contracts.TestToken;
import io.courier.contracts.TokenBridge;
import io.courier.contracts.WrappedToken;
import io.courier.demo.DemoNetwork.Deployment;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.TransactionManager;
import org.web3j.utils.Numeric;

/** A user of the token bridge: funds itself, locks tokens towards another chain, and checks balances. */
public final class TokenTraffic {

    /** One lock as the user sent it. */
    public record Sent(String messageId, long srcChainId, long dstChainId, String txHash, BigInteger amount, long nonce) {}

    private final DemoNetwork network;
    private final Credentials user = LocalChain.account(DemoNetwork.USER);
    private final String recipient = LocalChain.account(DemoNetwork.RECIPIENT).getAddress();

    public TokenTraffic(DemoNetwork network) {
        this.network = network;
    }

    public String recipient() {
        return recipient;
    }

    /** Mints test tokens to the user on every chain and approves the bridge to take them. */
    public void fundUser(BigInteger amount) throws Exception {
        for (Deployment d : network.deployments()) {
            TransactionManager deployer = DemoNetwork.transactions(d.chain(), LocalChain.account(DemoNetwork.DEPLOYER));
            TestToken.load(d.token(), d.chain().web3j(), deployer, DemoNetwork.gas()).mint(user.getAddress(), amount).send();
            TransactionManager tm = DemoNetwork.transactions(d.chain(), user);
            TestToken.load(d.token(), d.chain().web3j(), tm, DemoNetwork.gas()).approve(d.bridge(), amount).send();
        }
    }

    /** Locks {@code amount} on {@code src} for the recipient on {@code dst}, paying nothing for its delivery. */
    public Sent lock(long src, long dst, BigInteger amount) throws Exception {
        return lock(src, dst, amount, BigInteger.ZERO);
    }

    /**
     * Locks {@code amount} on {@code src} for the recipient on {@code dst} and pays {@code fee} wei of {@code src}'s native
     * token for its delivery (the bridge passes it to {@code Gateway.send}: a {@code GasPaid}); returns the message id.
     */
    public Sent lock(long src, long dst, BigInteger amount, BigInteger fee) throws Exception {
        Deployment d = network.on(src);
        TransactionManager tm = DemoNetwork.transactions(d.chain(), user);
        TransactionReceipt receipt = TokenBridge.load(d.bridge(), d.chain().web3j(), tm, DemoNetwork.gas())
                .lock(BigInteger.valueOf(dst), recipient, amount, fee).send();
        List<Gateway.MessageSentEventResponse> events = Gateway.getMessageSentEvents(receipt);
        if (events.size() != 1) {
            throw new IllegalStateException("lock tx " + receipt.getTransactionHash() + " on chain " + src
                    + " emitted " + events.size() + " MessageSent events");
        }
        return new Sent(Numeric.toHexString(events.get(0).id), src, dst, receipt.getTransactionHash(), amount,
                events.get(0).nonce.longValueExact());
    }

    /**
     * Locks each of {@code amounts} on {@code src} for the recipient on {@code dst}, all broadcast at once with
     * consecutive account nonces and then awaited, so a burst lands in a block or two instead of a block a lock; the
     * locks in the order sent (their gateway nonces ascending). Bounded: at most 1,000, each receipt within 120 s.
     */
    public List<Sent> lockBurst(long src, long dst, List<BigInteger> amounts) throws Exception {
        if (amounts.isEmpty() || amounts.size() > 1_000) {
            throw new IllegalArgumentException("a burst is 1 to 1000 locks, got " + amounts.size());
        }
        Deployment d = network.on(src);
        org.web3j.protocol.Web3j web3j = d.chain().web3j();
        TokenBridge bridge = TokenBridge.load(d.bridge(), web3j, DemoNetwork.transactions(d.chain(), user), DemoNetwork.gas());
        BigInteger nonce = web3j.ethGetTransactionCount(user.getAddress(),
                org.web3j.protocol.core.DefaultBlockParameterName.PENDING).send().getTransactionCount();
        // a limit near what a lock needs (the wrapper's 6,000,000 would let five locks fill a block)
        String first = bridge.lock(BigInteger.valueOf(dst), recipient, amounts.get(0), BigInteger.ZERO).encodeFunctionCall();
        var estimate = web3j.ethEstimateGas(org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(
                user.getAddress(), nonce, DemoNetwork.gas().getGasPrice(), null, d.bridge(), first)).send();
        if (estimate.hasError()) {
            throw new IllegalStateException("a lock on chain " + src + " would revert: " + estimate.getError().getMessage());
        }
        BigInteger gasLimit = estimate.getAmountUsed().multiply(BigInteger.TWO);
        List<String> hashes = new java.util.ArrayList<>();
        for (BigInteger amount : amounts) {
            String data = bridge.lock(BigInteger.valueOf(dst), recipient, amount, BigInteger.ZERO).encodeFunctionCall();
            org.web3j.crypto.RawTransaction tx = org.web3j.crypto.RawTransaction.createTransaction(nonce,
                    DemoNetwork.gas().getGasPrice(), gasLimit, d.bridge(), BigInteger.ZERO, data);
            var sent = web3j.ethSendRawTransaction(Numeric.toHexString(
                    org.web3j.crypto.TransactionEncoder.signMessage(tx, d.chain().chainId(), user))).send();
            if (sent.hasError()) {
                throw new IllegalStateException("lock " + hashes.size() + " of a burst on chain " + src + " refused: "
                        + sent.getError().getMessage());
            }
            hashes.add(sent.getTransactionHash());
            nonce = nonce.add(BigInteger.ONE);
        }
        // the same patient poll as every other send here (Ganache's transient receipt errors)
        PatientReceiptProcessor receipts = new PatientReceiptProcessor(web3j, 100, 1_200);
        List<Sent> locks = new java.util.ArrayList<>();
        for (int i = 0; i < hashes.size(); i++) {
            TransactionReceipt receipt = receipts.waitForTransactionReceipt(hashes.get(i));
            List<Gateway.MessageSentEventResponse> events = Gateway.getMessageSentEvents(receipt);
            if (!receipt.isStatusOK() || events.size() != 1) {
                throw new IllegalStateException("lock tx " + hashes.get(i) + " on chain " + src + ": status "
                        + receipt.getStatus() + ", " + events.size() + " MessageSent events");
            }
            locks.add(new Sent(Numeric.toHexString(events.get(0).id), src, dst, hashes.get(i), amounts.get(i),
                    events.get(0).nonce.longValueExact()));
        }
        return locks;
    }

    /** Wrapped tokens of {@code origin}'s token held by the recipient on {@code chain}. */
    public BigInteger wrappedBalance(long chain, long origin) throws Exception {
        Deployment d = network.on(chain);
        return WrappedToken.load(d.wrapped().get(origin), d.chain().web3j(),
                DemoNetwork.transactions(d.chain(), user), DemoNetwork.gas()).balanceOf(recipient).send();
    }

    /** Canonical tokens locked in the bridge on {@code chain}. */
    public BigInteger lockedIn(long chain) throws Exception {
        Deployment d = network.on(chain);
        return TestToken.load(d.token(), d.chain().web3j(), DemoNetwork.transactions(d.chain(), user), DemoNetwork.gas())
                .balanceOf(d.bridge()).send();
    }

    /** The destination gateway's view of a message: 0 none, 1 delivered, 2 failed. */
    public int statusOnDestination(Sent sent) throws Exception {
        Deployment d = network.on(sent.dstChainId());
        return Gateway.load(d.gateway(), d.chain().web3j(), DemoNetwork.transactions(d.chain(), user), DemoNetwork.gas())
                .messageStatus(BigInteger.valueOf(sent.srcChainId()), network.on(sent.srcChainId()).gateway(), BigInteger.valueOf(sent.nonce()),
                        Numeric.hexStringToByteArray(sent.messageId())).send().intValue();
    }
}
