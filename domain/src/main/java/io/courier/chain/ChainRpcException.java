package io.courier.chain;

import io.courier.chain.message.Hex;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;

/**
 * A JSON-RPC call to one chain that did not give a usable answer. The {@link Kind} says what to do about it;
 * the message names the chain, the method and the block or transaction.
 */
public final class ChainRpcException extends RuntimeException {

    /**
     * What went wrong. Which kinds are retried is decided in one place, the adapter's error classifier (its {@code isRetriable}).
     * Kinds may be stored or exported as metric labels: add new ones, never rename or remove.
     */
    public enum Kind {
        /** I/O failure, HTTP 5xx, node-side "header not found" or internal error: may succeed if repeated. */
        TRANSIENT,
        /** No answer within the configured timeout. */
        TIMEOUT,
        /** HTTP 429 or a provider's rate-limit error. */
        RATE_LIMITED,
        /** This client already has the maximum of calls in flight and queued: refused without sending. */
        OVERLOADED,
        /** Execution reverted (eth_call, eth_estimateGas); {@link #revertData()} holds the data when given. */
        REVERTED,
        /** The transaction's nonce is already used by a mined transaction of the sender. */
        NONCE_TOO_LOW,
        /** The node already has this very transaction in its pool. */
        ALREADY_KNOWN,
        /** Fees too low: below the base fee, or a replacement not paying enough more. */
        UNDERPRICED,
        /** The sender cannot pay value + gas. */
        INSUFFICIENT_FUNDS,
        /** A log query spanning too many blocks or returning too many results; ask for a smaller range. */
        RANGE_TOO_LARGE,
        /** Malformed request, unknown method, invalid parameters, or HTTP 4xx other than 408/429. */
        INVALID_REQUEST,
        /** Something that must exist did not (for example the latest block). */
        NOT_FOUND,
        /** The endpoint serves another chain id than configured. */
        WRONG_CHAIN,
        /** The node answered something this client cannot read. */
        BAD_RESPONSE,
        /** A node error no rule above recognises. Not retried: every retry must be justified. */
        REJECTED,
        /** The client was closed. */
        CLOSED,
        /**
         * The node refused a transaction for a reason sending it again cannot fix: intrinsic gas too low, oversized
         * data, a gas limit above the block's, an invalid transaction. Never retried; the sender frees its nonce.
         */
        TX_REJECTED;

        /** The label used for metrics: {@code rate_limited}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String ERROR_SELECTOR = "0x08c379a0";

    private final Kind kind;
    private final String chainName;
    private final long chainId;
    private final RpcCall call;
    private final Integer rpcCode;
    private final String revertData;
    private final int attempts;
    private final Duration retryAfter;

    public ChainRpcException(String chainName, long chainId, RpcCall call, RpcFailure failure, int attempts, Throwable cause) {
        super(message(chainName, chainId, call, failure, attempts), cause);
        this.kind = failure.kind();
        this.chainName = Objects.requireNonNull(chainName, "chainName");
        this.chainId = chainId;
        this.call = Objects.requireNonNull(call, "call");
        this.rpcCode = failure.rpcCode();
        this.revertData = failure.revertData();
        this.attempts = attempts;
        this.retryAfter = failure.retryAfter();
    }

    private static String message(String chainName, long chainId, RpcCall call, RpcFailure failure, int attempts) {
        return "chain " + chainName + " (" + chainId + "): " + call.describe() + " failed [" + failure.kind() + "]"
                + (attempts > 1 ? " after " + attempts + " attempts" : "")
                + (failure.detail().isEmpty() ? "" : ": " + failure.detail());
    }

    public Kind kind() {
        return kind;
    }

    public String chainName() {
        return chainName;
    }

    public long chainId() {
        return chainId;
    }

    public RpcCall call() {
        return call;
    }

    public String method() {
        return call.method();
    }

    /** The JSON-RPC error code when the node answered with an error object. */
    public Optional<Integer> rpcCode() {
        return Optional.ofNullable(rpcCode);
    }

    /** Hex revert data (for {@link Kind#REVERTED}) when the node returned it. */
    public Optional<String> revertData() {
        return Optional.ofNullable(revertData);
    }

    /** The string of a Solidity {@code Error(string)} revert, when the revert data is one. */
    public Optional<String> revertReason() {
        if (revertData == null || !revertData.startsWith(ERROR_SELECTOR)) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<Type> decoded = FunctionReturnDecoder.decode(revertData.substring(ERROR_SELECTOR.length()),
                    (List) List.of(new TypeReference<Utf8String>() {}));
            return decoded.isEmpty() ? Optional.empty() : Optional.of(((Utf8String) decoded.get(0)).getValue());
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    /** How long the endpoint asked not to be called again (HTTP {@code Retry-After}), when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Requests sent before giving up (0 when refused locally). */
    public int attempts() {
        return attempts;
    }
}
