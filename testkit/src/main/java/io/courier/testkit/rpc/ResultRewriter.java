package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Rewrites the result of one JSON-RPC call before the client sees it ({@link RpcProxy#rewriteResult}): a lying
 * endpoint that answers a receipt with other logs, another status or block hash, or a receipt for a transaction the
 * chain never had. Called from the proxy's worker threads, possibly at once for several calls: it must be thread-safe.
 */
@FunctionalInterface
public interface ResultRewriter {

    /**
     * @param params the call's params as forwarded (block tags already resolved); an empty array if it had none
     * @param result the node's result, {@link com.fasterxml.jackson.databind.node.NullNode} when it answered
     *               {@code null} (a receipt of an unknown transaction); the rewriter may change it in place
     * @return the result to answer: {@code result} itself to leave it, or any JSON value; a Java {@code null}, a
     *         missing node or a value that cannot be serialized fails this call alone with {@code -32603}, as does
     *         an exception
     */
    JsonNode rewrite(JsonNode params, JsonNode result);
}
