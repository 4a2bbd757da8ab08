package io.courier.testkit.rpc;

/**
 * The faults an {@link RpcProxy} injects, each counted by {@link RpcProxy#injected(FaultKind)} so that a test can
 * tell "the client survived a fault" from "the fault never happened".
 * {@link RpcProxy#offline()} has no kind: a refused connection never reaches the proxy, so it cannot be counted.
 */
public enum FaultKind {
    /** A JSON-RPC error {@code -32603 "internal error"} answered instead of forwarding a call. */
    ERROR,
    /** A request held for the configured time, then its connection closed without an answer. */
    TIMEOUT,
    /** A connection closed before any HTTP response: the client reads EOF / a reset. */
    DROP,
    /** {@code -32000 "header not found"} for {@code eth_getBlockByNumber}, {@code eth_getLogs}, {@code eth_call}. */
    HEADER_NOT_FOUND,
    /** HTTP 429 with {@code Retry-After} beyond the configured request rate. */
    RATE_LIMIT,
    /** A call answered from the frozen head instead of the real one (each call counts once). */
    STALE_HEAD,
    /** An invented block answered for a number above the real head, where the chain answers {@code null}. */
    WRONG_MISSING_BLOCK,
    /** HTTP 503 while the proxy is {@link RpcProxy#down(boolean) down}. */
    DOWN,
    /** An {@code eth_getLogs} answer with at least one invented log merged in (each call counts once). */
    INVENTED_LOG,
    /** A head above the real one: {@code eth_blockNumber}, or an invented block between the real and the claimed head. */
    HEAD_AHEAD,
    /** A result a {@link ResultRewriter} changed (a rewriter that leaves the result as it was is not counted). */
    REWRITTEN_RESULT,
    /** An inventor or rewriter that threw or gave a malformed answer: that call alone got {@code -32603}. */
    LIE_FAILED
}
