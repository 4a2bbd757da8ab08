package io.courier.relayer.submit;

import io.courier.chain.message.CrossChainMessage;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

/**
 * Calldata of the gateway's lone-message calls: {@code execute(srcChainId, srcGateway, nonce, sender, recipient, payload,
 * signatures)} and {@code retry(srcChainId, srcGateway, nonce, sender, recipient, payload)}.
 */
public final class ExecuteCall {

    private ExecuteCall() {}

    /** @param signatures 65-byte signatures ordered by signer address ascending, as the gateway requires */
    public static String encode(CrossChainMessage m, List<byte[]> signatures) {
        Function execute = new Function("execute", List.of(
                new Uint256(BigInteger.valueOf(m.srcChainId())),
                new Address(m.srcGateway()),
                new Uint64(BigInteger.valueOf(m.nonce())),
                new Address(m.sender()),
                new Address(m.recipient()),
                new DynamicBytes(m.payload()),
                new DynamicArray<>(DynamicBytes.class, signatures.stream().map(DynamicBytes::new).toList())),
                List.of());
        return FunctionEncoder.encode(execute);
    }

    /** A message the destination holds as Failed, delivered again: no signatures (they were checked at its execution). */
    public static String retry(CrossChainMessage m) {
        Function retry = new Function("retry", List.of(
                new Uint256(BigInteger.valueOf(m.srcChainId())),
                new Address(m.srcGateway()),
                new Uint64(BigInteger.valueOf(m.nonce())),
                new Address(m.sender()),
                new Address(m.recipient()),
                new DynamicBytes(m.payload())),
                List.of());
        return FunctionEncoder.encode(retry);
    }
}
