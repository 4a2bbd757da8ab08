package io.courier.demo;

import java.io.IOException;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Polls for a receipt like Web3j's {@code PollingTransactionReceiptProcessor}, but takes an error answer as "not yet"
 * a bounded number of times: Ganache 7.9.2 sometimes answers {@code eth_getTransactionReceipt} for a transaction of
 * the block it is mining with an internal error ("Cannot read properties of undefined (reading 'toJSON')"), and
 * Web3j's processor gives up on the first one, failing a send that went through.
 */
final class PatientReceiptProcessor extends TransactionReceiptProcessor {

    private static final int MAX_ERRORS = 20;

    private final Web3j web3j;
    private final long sleepMillis;
    private final int attempts;

    PatientReceiptProcessor(Web3j web3j, long sleepMillis, int attempts) {
        super(web3j);
        this.web3j = web3j;
        this.sleepMillis = sleepMillis;
        this.attempts = attempts;
    }

    @Override
    public TransactionReceipt waitForTransactionReceipt(String txHash) throws IOException, TransactionException {
        int errors = 0;
        String lastError = null;
        for (int i = 0; i < attempts; i++) {
            EthGetTransactionReceipt answer = web3j.ethGetTransactionReceipt(txHash).send();
            if (answer.hasError()) {
                lastError = answer.getError().getMessage();
                if (++errors > MAX_ERRORS) {
                    throw new TransactionException("Error processing request: " + lastError + " (" + errors
                            + " errors asking for the receipt of " + txHash + ")");
                }
            } else {
                Optional<TransactionReceipt> receipt = answer.getTransactionReceipt();
                if (receipt.isPresent()) {
                    return receipt.get();
                }
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransactionException("interrupted waiting for the receipt of " + txHash);
            }
        }
        throw new TransactionException("no receipt of " + txHash + " after " + attempts + " polls every " + sleepMillis + " ms"
                + (lastError == null ? "" : "; last error: " + lastError), txHash);
    }
}
