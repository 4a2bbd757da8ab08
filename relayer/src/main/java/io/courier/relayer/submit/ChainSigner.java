package io.courier.relayer.submit;

import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.fees.Fees;
import io.courier.chain.message.MessageId;
import io.courier.finality.Submission;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
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
