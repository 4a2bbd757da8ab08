package io.courier.e2e;

import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * A hostile contract for tests: it emits whatever log it is told (calldata = 4 topics, then data), so a test can
 * forge a {@code MessageSent} that no real gateway would emit. Hand-assembled EVM, 29 bytes of runtime:
 * CALLDATACOPY(0, 128, size - 128); LOG4(0, size - 128, t0, t1, t2, t3) with topics read from calldata.
 */
final class LogEmitter {

    private static final String RUNTIME = "608036036080600037"   // copy data part of calldata to memory 0
            + "606035" + "604035" + "602035" + "600035"         // push topics 3, 2, 1, 0
            + "6080360360" + "00" + "a4" + "00";                // LOG4(0, size-128, ...), STOP
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(20_000_000_000L);

    private final LocalChain chain;
    private final RawTransactionManager tm;
    private final PollingTransactionReceiptProcessor receipts;
    final String address;

    private LogEmitter(LocalChain chain, RawTransactionManager tm, PollingTransactionReceiptProcessor receipts, String address) {
        this.chain = chain;
        this.tm = tm;
        this.receipts = receipts;
        this.address = address;
    }

    static LogEmitter deploy(LocalChain chain, Credentials from) throws Exception {
        int length = RUNTIME.length() / 2;
        String init = "60" + hexByte(length) + "600c600039" + "60" + hexByte(length) + "6000f3" + RUNTIME;
        PollingTransactionReceiptProcessor receipts = new PollingTransactionReceiptProcessor(chain.web3j(), 100, 600);
        RawTransactionManager tm = new RawTransactionManager(chain.web3j(), from, chain.chainId(), receipts);
        EthSendTransaction sent = tm.sendTransaction(GAS_PRICE, BigInteger.valueOf(200_000), null, "0x" + init, BigInteger.ZERO, true);
        if (sent.hasError()) {
            throw new IllegalStateException("deploying the log emitter failed: " + sent.getError().getMessage());
        }
        TransactionReceipt receipt = receipts.waitForTransactionReceipt(sent.getTransactionHash());
        return new LogEmitter(chain, tm, receipts, receipt.getContractAddress().toLowerCase());
    }

    /** Emits one log with exactly these four topics and data; returns the transaction receipt. */
    TransactionReceipt emit(List<String> topics, byte[] data) throws Exception {
        if (topics.size() != 4) {
            throw new IllegalArgumentException("the emitter takes exactly 4 topics");
        }
        StringBuilder calldata = new StringBuilder("0x");
        topics.forEach(t -> calldata.append(Numeric.cleanHexPrefix(t)));
        calldata.append(Numeric.toHexStringNoPrefix(data));
        EthSendTransaction sent = tm.sendTransaction(GAS_PRICE, BigInteger.valueOf(300_000), address, calldata.toString(), BigInteger.ZERO);
        if (sent.hasError()) {
            throw new IllegalStateException("emit failed: " + sent.getError().getMessage());
        }
        return receipts.waitForTransactionReceipt(sent.getTransactionHash());
    }

    private static String hexByte(int value) {
        return String.format("%02x", value);
    }
}
