package io.courier.chain;

import java.util.Objects;

/**
 * The classifier's verdict on one failed attempt, before the client adds which chain and call it was.
 *
 * @param detail what the node or the transport said
 * @param rpcCode the JSON-RPC error code, or null when the failure is not a JSON-RPC error
 * @param revertData hex revert data when the node gave it, else null
 */
public record RpcFailure(ChainRpcException.Kind kind, String detail, Integer rpcCode, String revertData) {

    public RpcFailure {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    public static RpcFailure of(ChainRpcException.Kind kind, String detail) {
        return new RpcFailure(kind, detail, null, null);
    }

    /**
     * Lets code that reads a successful response (a null block, a revert hidden in an {@code eth_call}
     * result) report a failure of a known kind; the classifier takes the kind as given.
     */
    static final class Signal extends RuntimeException {
        private final RpcFailure failure;

        Signal(RpcFailure failure) {
            super(failure.detail(), null, false, false);
            this.failure = failure;
        }

        RpcFailure failure() {
            return failure;
        }
    }

    RuntimeException signal() {
        return new Signal(this);
    }
}
