package io.courier.chain.web3j;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.Address;

import io.courier.chain.ChainClient;
import io.courier.chain.FeeHistory;
import io.courier.chain.TxReceipt;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/** Signs EIP-1559 transactions for integration tests, priced from the chain's own fee history. */
final class TestSigner {

    private final ChainClient client;
    private final Credentials credentials;

    TestSigner(ChainClient client, Credentials credentials) {
        this.client = client;
        this.credentials = credentials;
    }

    String address() {
        return credentials.getAddress();
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** A signed transfer of {@code value} wei with the sender's next nonce. */
    String transfer(String to, BigInteger value) {
        return sign(nextNonce(), to, value, "", BigInteger.valueOf(21_000));
    }

    /** A signed contract call or creation ({@code to} empty) with the sender's next nonce. */
    String transaction(String to, String data, long gasLimit) {
        return sign(nextNonce(), to, BigInteger.ZERO, data, BigInteger.valueOf(gasLimit));
    }

    BigInteger nextNonce() {
        return BigInteger.valueOf(await(client.nonce(Address.fromHex(credentials.getAddress()), true)));
    }

    String sign(BigInteger nonce, String to, BigInteger value, String data, BigInteger gasLimit) {
        FeeHistory fees = await(client.feeHistory(1, List.of(50.0)));
        BigInteger tip = await(client.maxPriorityFeePerGas());
        BigInteger maxFee = fees.nextBaseFee().multiply(BigInteger.TWO).add(tip);
        RawTransaction tx = RawTransaction.createTransaction(client.chainId(), nonce, gasLimit, to, value, data, tip, maxFee);
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, credentials));
    }

    /** Sends and waits for the receipt (Ganache mines each transaction at once; a few polls at most). */
    TxReceipt sendAndWait(String signed) throws InterruptedException {
        TxHash hash = await(client.sendRawTransaction(signed));
        for (int i = 0; i < 100; i++) {
            Optional<TxReceipt> receipt = await(client.receipt(hash));
            if (receipt.isPresent()) {
                return receipt.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no receipt for " + hash);
    }
}
