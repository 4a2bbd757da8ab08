package io.courier.chain;


import java.time.Duration;
import java.util.Objects;

/**
 * The classifier's verdict on one failed attempt, before the client adds which chain and call it was.
 *
 * @param detail what the node or the transport said
 * @param rpcCode the JSON-RPC error code, or null when the failure is not a JSON-RPC error
 * @param revertData hex revert data when the node gave it, else null
 * @param httpStatus the HTTP status of a non-2xx answer when the transport reported it, else null
 * @param retryAfter how long the endpoint asked not to be called again (HTTP {@code Retry-After}), else null
 */
public record RpcFailure(ChainRpcException.Kind kind, String detail, Integer rpcCode, String revertData,
                         Integer httpStatus, Duration retryAfter) {

    public RpcFailure {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
        if (retryAfter != null && (retryAfter.isNegative() || retryAfter.isZero())) {
            retryAfter = null;
        }
    }

    public RpcFailure(ChainRpcException.Kind kind, String detail, Integer rpcCode, String revertData) {
        this(kind, detail, rpcCode, revertData, null, null);
    }

    /** The same failure with {@code more} appended to its detail. */
    public RpcFailure withDetail(String more) {
        return new RpcFailure(kind, detail.isEmpty() ? more : detail + "; " + more, rpcCode, revertData, httpStatus, retryAfter);
    }

    public static RpcFailure of(ChainRpcException.Kind kind, String detail) {
        return new RpcFailure(kind, detail, null, null);
    }
}
