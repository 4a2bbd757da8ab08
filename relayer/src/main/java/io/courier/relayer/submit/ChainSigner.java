package io.courier.relayer.submit;

import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.fees.Fees;
import io.courier.chain.message.MessageId;
import io.courier.finality.Submission;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.utils.Numeric;

/** The submitter's account on one destination chain: its address and the transactions it signs. Pure (no I/O). */
final class ChainSigner {

    /** A signed transaction: its bytes as sent and its hash. */
    record Signed(long nonce, String raw, TxHash hash) {

        /** Its {@code submissions} row; legacy fees are recorded as both fields (max fee = tip = the gas price). */
        Submission record(long chainId, Address signer, List<MessageId> ids, Fees fees, BigInteger gasLimit, Instant at) {
            return new Submission(chainId, signer, nonce, hash, ids, fees.maxFee(), fees.maxTip(), gasLimit.longValue(), at, null, raw);
        }
    }

    /** What a signed transaction asks of the chain, read back from its bytes: its gas limit, calldata and fees. */
    record Unsigned(BigInteger gasLimit, String data, Fees fees) {}

    /**
     * The inverse of {@link #sign} for what a replacement needs (a transaction recorded before a restart): typed by the
     * transaction's own type, not by the record's fee columns. Empty when the bytes are not a transaction.
     */
    static Optional<Unsigned> unsigned(String raw) {
        try {
            RawTransaction tx = TransactionDecoder.decode(raw);
            Fees fees = tx.getTransaction() instanceof Transaction1559 t
                    ? new Fees.Eip1559Fees(t.getMaxFeePerGas(), t.getMaxPriorityFeePerGas())
                    : new Fees.LegacyFees(tx.getGasPrice());
            return Optional.of(new Unsigned(tx.getGasLimit(), Numeric.prependHexPrefix(tx.getData()), fees));
        } catch (RuntimeException notATransaction) {
            return Optional.empty();
        }
    }

    private final long chainId;
    private final Credentials credentials;
    private final Address address;

    ChainSigner(long chainId, Credentials credentials) {
        this.chainId = chainId;
        this.credentials = credentials;
        this.address = Address.fromHex(credentials.getAddress());
    }

    Address address() {
        return address;
    }

    /** A transaction at {@code nonce}, typed by its fees (EIP-1559, or legacy with EIP-155). */
    Signed sign(long nonce, BigInteger gasLimit, Address to, String data, Fees fees) {
        RawTransaction tx = fees instanceof Fees.Eip1559Fees e
                ? RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce), gasLimit, to.toHex(), BigInteger.ZERO, data,
                        e.maxPriorityFeePerGas(), e.maxFeePerGas())
                : RawTransaction.createTransaction(BigInteger.valueOf(nonce), fees.maxFee(), gasLimit, to.toHex(), BigInteger.ZERO, data);
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, credentials));
        return new Signed(nonce, raw, TxHash.fromHex(Hash.sha3(raw)));
    }
}
