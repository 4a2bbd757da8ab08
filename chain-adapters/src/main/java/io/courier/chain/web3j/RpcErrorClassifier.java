package io.courier.chain.web3j;

import io.courier.chain.message.Hex;

import io.courier.chain.RpcFailure;

import static io.courier.chain.ChainRpcException.Kind.*;

import io.courier.chain.ChainRpcException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * The one place that turns a failure (a transport exception or a JSON-RPC error object) into a {@link Kind},
 * and the one place that says which kinds are worth retrying.
 *
 * <p>Node messages are matched before error codes because codes are not reliable across clients: geth uses
 * -32000 for almost everything, Infura uses -32005 both for rate limits and for oversized log queries, and
 * Ganache answers -32700 ("parse error") even for a nonce error or an unknown method.
 */
public final class RpcErrorClassifier {

    private static final Set<Kind> RETRIABLE = Set.of(TRANSIENT, TIMEOUT, RATE_LIMITED);

    /** web3j's HttpService reports a non-2xx answer only through this message. */
    private static final Pattern HTTP_STATUS = Pattern.compile("Invalid response received: (\\d{3})");

    private static final Pattern QUOTED_HEX = Pattern.compile("\"(0x[0-9a-fA-F]*)\"");
    private static final Pattern HEX_FIELD = Pattern.compile("\"(data|result)\"\\s*:\\s*\"(0x[0-9a-fA-F]*)\"");

    private record Rule(Kind kind, List<String> fragments) {}

    // Order matters: a revert mentioning "limit" is still a revert; an oversized log query must not be read as a
    // rate limit although Infura gives both -32005.
    private static final List<Rule> MESSAGE_RULES = List.of(
            new Rule(REVERTED, List.of("execution reverted", "vm exception while processing transaction", "reverted")),
            new Rule(NONCE_TOO_LOW, List.of("nonce too low", "correct nonce", "nonce has already been used",
                    "oldnonce")),
            new Rule(ALREADY_KNOWN, List.of("already known", "known transaction", "already imported",
                    "already exists", "already in mempool", "already in the pool", "alreadyknown")),
            // before RATE_LIMITED ("limit") and INVALID_REQUEST ("invalid"): geth's and Ganache's words for a
            // transaction no resend can get in (core/error.go, txpool/errors.go; Ganache 7 says the same)
            new Rule(TX_REJECTED, List.of("intrinsic gas too low", "oversized data", "exceeds block gas limit",
                    "gas limit reached", "tx size limit", "transaction size limit", "max initcode size exceeded",
                    "gas limit too high", "invalid transaction", "invalid sender")),
            new Rule(UNDERPRICED, List.of("underpriced", "fee too low", "less than block base fee",
                    "max fee per gas less than", "feecap too low")),
            new Rule(INSUFFICIENT_FUNDS, List.of("insufficient funds")),
            new Rule(RANGE_TOO_LARGE, List.of("query returned more than", "too many results", "block range",
                    "range too large", "range is too large", "range too wide", "exceed maximum block range",
                    "response size exceed", "log response size")),
            new Rule(RATE_LIMITED, List.of("rate limit", "too many requests", "request rate", "rate exceeded",
                    "exceeded the quota", "capacity exceeded", "daily request count")),
            new Rule(TRANSIENT, List.of("header not found", "unknown block", "internal error", "try again",
                    "temporarily unavailable", "service unavailable", "busy", "upstream", "timeout", "timed out")),
            new Rule(INVALID_REQUEST, List.of("invalid argument", "invalid params", "invalid parameter",
                    "does not exist/is not available", "method not found", "not supported", "cannot unmarshal",
                    "invalid hex", "cannot wrap")));

    /** Whether a failure of this kind may be sent again. Reverts, nonce errors and invalid requests never are. */
    public boolean isRetriable(Kind kind) {
        return RETRIABLE.contains(kind);
    }

    /** Classifies an exception thrown by the transport (or raised while reading a response). */
    public RpcFailure classify(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof FailureSignal signal) {
            return signal.failure();
        }
        if (t instanceof AsyncLimiter.RejectedException) {
            return RpcFailure.of(OVERLOADED, t.getMessage());
        }
        if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
            return RpcFailure.of(TIMEOUT, describe(t));
        }
        if (t instanceof ClientConnectionException) {
            String message = String.valueOf(t.getMessage());
            Matcher status = HTTP_STATUS.matcher(message);
            if (status.find()) {
                Kind kind = ofHttpStatus(Integer.parseInt(status.group(1)));
                if (kind == INVALID_REQUEST) {
                    // some providers put a JSON-RPC error ("query returned more than ...") in a 400 answer
                    kind = byMessage(message).orElse(INVALID_REQUEST);
                }
                return RpcFailure.of(kind, abbreviate(message));
            }
            return RpcFailure.of(TRANSIENT, describe(t));
        }
        if (t instanceof HttpStatusException http) {
            Kind kind = ofHttpStatus(http.status());
            if (kind == INVALID_REQUEST) {
                kind = byMessage(http.body()).orElse(INVALID_REQUEST);
            }
            return new RpcFailure(kind, abbreviate(http.getMessage()), null, null, http.status(), http.retryAfter());
        }
        if (t instanceof InterruptedIOException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")) {
            return RpcFailure.of(TIMEOUT, describe(t)); // OkHttp's call timeout
        }
        if (t instanceof IOException) {
            // includes an unreadable body (a proxy's HTML page with status 200): repeating it is harmless
            return RpcFailure.of(TRANSIENT, describe(t));
        }
        return RpcFailure.of(BAD_RESPONSE, describe(t));
    }

    /** What one attempt's outcome says about the endpoint that answered (see {@link EndpointPool}). */
    enum EndpointImpact {
        /** The endpoint answered; any error was the request's own (a revert, a nonce, bad params). */
        ANSWERED,
        /** The endpoint failed: transport error, timeout, 5xx, rate limit, or it refused us (HTTP 401/403/404/405). */
        FAILED,
        /** Says nothing about the endpoint (an unreadable answer, a local refusal, an unknown node error). */
        UNKNOWN,
        /** The endpoint serves another chain: never use it. */
        WRONG_CHAIN
    }

    private static final Set<Integer> ENDPOINT_REFUSED_STATUS = Set.of(401, 403, 404, 405);

    /**
     * Whether an attempt counts for or against its endpoint's health. Caller faults (REVERTED, NONCE_TOO_LOW,
     * ALREADY_KNOWN, UNDERPRICED, INSUFFICIENT_FUNDS, INVALID_REQUEST, RANGE_TOO_LARGE, TX_REJECTED) prove the endpoint works,
     * except an HTTP 401/403/404/405: that is a bad key or path, the endpoint's problem, although the request
     * must not be retried as it is.
     *
     * @param failure null for a success
     */
    EndpointImpact impactOnEndpoint(RpcFailure failure) {
        if (failure == null) {
            return EndpointImpact.ANSWERED;
        }
        if (failure.httpStatus() != null && ENDPOINT_REFUSED_STATUS.contains(failure.httpStatus())) {
            return EndpointImpact.FAILED;
        }
        return switch (failure.kind()) {
            case TRANSIENT, TIMEOUT, RATE_LIMITED -> EndpointImpact.FAILED;
            case REVERTED, NONCE_TOO_LOW, ALREADY_KNOWN, UNDERPRICED, INSUFFICIENT_FUNDS, INVALID_REQUEST,
                    RANGE_TOO_LARGE, TX_REJECTED -> EndpointImpact.ANSWERED;
            case WRONG_CHAIN -> EndpointImpact.WRONG_CHAIN;
            case OVERLOADED, NOT_FOUND, BAD_RESPONSE, REJECTED, CLOSED -> EndpointImpact.UNKNOWN;
        };
    }

    /** Classifies an HTTP status of a non-2xx answer. */
    public Kind ofHttpStatus(int status) {
        if (status == 429) {
            return RATE_LIMITED;
        }
        if (status == 408) {
            return TIMEOUT;
        }
        if (status >= 500) {
            return TRANSIENT;
        }
        return INVALID_REQUEST;
    }

    /** Classifies a JSON-RPC error object. */
    public RpcFailure classify(Response.Error error) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        int code = error.getCode();
        Kind kind = byMessage(message).orElseGet(() -> ofCode(code));
        String detail = abbreviate(message) + " (code " + code + ")";
        return new RpcFailure(kind, detail, code, kind == REVERTED ? revertData(error.getData()) : null);
    }

    private static Optional<Kind> byMessage(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return MESSAGE_RULES.stream()
                .filter(rule -> rule.fragments().stream().anyMatch(lower::contains))
                .map(Rule::kind)
                .findFirst();
    }

    private static Kind ofCode(int code) {
        return switch (code) {
            case 3 -> REVERTED; // geth: execution reverted, data holds the revert data
            case -32700, -32600, -32601, -32602 -> INVALID_REQUEST;
            case -32603 -> TRANSIENT; // "internal error": the node failed, not the request
            case -32005 -> RATE_LIMITED; // EIP-1474 "limit exceeded"; oversized queries were matched by message
            default -> REJECTED;
        };
    }

    /**
     * Revert data comes as a hex string (geth, Ganache's eth_call) or inside an object (Ganache's
     * eth_estimateGas: {@code {"result": "0x..", ...}}). web3j keeps {@code data} as raw JSON text; reading it
     * with patterns keeps this module off a direct Jackson dependency.
     */
    static String revertData(String rawJson) {
        if (rawJson == null || rawJson.isBlank()) {
            return null;
        }
        String text = rawJson.trim();
        Matcher quoted = QUOTED_HEX.matcher(text);
        if (quoted.matches()) {
            return Hex.normalize(quoted.group(1));
        }
        Matcher field = HEX_FIELD.matcher(text);
        if (field.find()) {
            return Hex.normalize(field.group(2));
        }
        return hexOrNull(text);
    }

    private static String hexOrNull(String value) {
        return Hex.isHex(value) ? Hex.normalize(value) : null;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + abbreviate(t.getMessage());
    }

    /** Node messages can carry whole stack traces (Ganache) or HTML pages (proxies): keep errors readable. */
    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
