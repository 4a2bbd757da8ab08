package io.courier.chain.web3j;

import java.util.Objects;
import org.web3j.protocol.Web3j;

/**
 * One JSON-RPC endpoint of a chain.
 *
 * @param label safe to log and use as a metric label (no path, no API key)
 */
public record RpcEndpoint(String label, Web3j web3j) {
    public RpcEndpoint {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(web3j, "web3j");
    }
}
