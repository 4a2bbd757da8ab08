package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Finds the block tags ({@code "latest"}, {@code "safe"}, {@code "finalized"}, ...) in the params of a JSON-RPC call
 * and lets a {@link Resolver} replace them with a block number.
 *
 * <p>Why: Ganache answers {@code safe} and {@code finalized} as {@code latest}, so finality code tested against it
 * would never see a finalized head behind the latest one. The proxy resolves those tags itself ({@code latest − k})
 * before forwarding. The same walk lets a stale endpoint pin {@code latest} to its frozen head. A missing optional
 * block parameter (or a missing {@code fromBlock}/{@code toBlock} of a log filter) means {@code latest} by the
 * JSON-RPC spec, so it is offered to the resolver as {@code "latest"} too.
 */
final class BlockTags {

    /** Replaces a tag with a block number ({@code 0x..}), or answers {@code null} to leave it as it is. */
    @FunctionalInterface
    interface Resolver {
        String resolve(String tag);
    }

    /** The index, in {@code params}, of the block parameter of each method that takes one. */
    private static final Map<String, Integer> BLOCK_PARAM = Map.ofEntries(
            Map.entry("eth_getBlockByNumber", 0),
            Map.entry("eth_getBlockTransactionCountByNumber", 0),
            Map.entry("eth_getUncleCountByBlockNumber", 0),
            Map.entry("eth_getTransactionByBlockNumberAndIndex", 0),
            Map.entry("eth_getUncleByBlockNumberAndIndex", 0),
            Map.entry("eth_getBlockReceipts", 0),
            Map.entry("eth_getBalance", 1),
            Map.entry("eth_getCode", 1),
            Map.entry("eth_getTransactionCount", 1),
            Map.entry("eth_call", 1),
            Map.entry("eth_estimateGas", 1),
            Map.entry("eth_createAccessList", 1),
            Map.entry("eth_feeHistory", 1),
            Map.entry("eth_getStorageAt", 2),
            Map.entry("eth_getProof", 2));

    /** Methods whose block parameter is optional and defaults to {@code latest}. */
    private static final Set<String> DEFAULTS_TO_LATEST = Set.of(
            "eth_getBalance", "eth_getCode", "eth_getTransactionCount", "eth_call", "eth_estimateGas",
            "eth_createAccessList", "eth_getStorageAt", "eth_getProof");

    /** Methods whose first parameter is a log filter with {@code fromBlock}/{@code toBlock}. */
    private static final Set<String> FILTER_METHODS = Set.of("eth_getLogs", "eth_newFilter");

    private BlockTags() {}

    /**
     * Rewrites the block tags of one call in place.
     *
     * @return whether anything changed (the call must then be re-serialized instead of forwarded byte for byte)
     */
    static boolean rewrite(ObjectNode call, Resolver resolver) {
        String method = call.path("method").asText("");
        if (!(call.get("params") instanceof ArrayNode params)) {
            return false;
        }
        if (FILTER_METHODS.contains(method)) {
            if (params.size() > 0 && params.get(0) instanceof ObjectNode filter && !filter.hasNonNull("blockHash")) {
                boolean from = rewriteField(filter, "fromBlock", resolver);
                boolean to = rewriteField(filter, "toBlock", resolver);
                return from || to;
            }
            return false;
        }
        Integer index = BLOCK_PARAM.get(method);
        if (index == null) {
            return false;
        }
        if (params.size() > index) {
            JsonNode block = params.get(index);
            if (block.isTextual()) {
                String number = resolver.resolve(block.asText());
                if (number != null) {
                    params.set(index, number);
                    return true;
                }
            } else if (block instanceof ObjectNode eip1898 && eip1898.path("blockNumber").isTextual()) {
                return rewriteField(eip1898, "blockNumber", resolver);
            }
            return false;
        }
        if (params.size() == index && DEFAULTS_TO_LATEST.contains(method)) {
            String number = resolver.resolve("latest");
            if (number != null) {
                params.add(number);
                return true;
            }
        }
        return false;
    }

    private static boolean rewriteField(ObjectNode holder, String field, Resolver resolver) {
        JsonNode value = holder.get(field);
        String tag = value == null || value.isNull() ? "latest" : value.isTextual() ? value.asText() : null;
        if (tag == null) {
            return false;
        }
        String number = resolver.resolve(tag);
        if (number == null) {
            return false;
        }
        holder.put(field, number);
        return true;
    }

    /** The block number a call's block parameter names, if it is a number ({@code 0x..}), else -1. */
    static long requestedNumber(ObjectNode call) {
        Integer index = BLOCK_PARAM.get(call.path("method").asText(""));
        if (index == null || !(call.get("params") instanceof ArrayNode params) || params.size() <= index) {
            return -1;
        }
        return parseQuantity(params.get(index).asText(""));
    }

    /** A JSON-RPC quantity ({@code 0x1a}) as a number, or -1 if it is not one (a tag, garbage). */
    static long parseQuantity(String text) {
        if (!text.startsWith("0x") || text.length() < 3 || text.length() > 17) {
            return -1;
        }
        try {
            long value = Long.parseUnsignedLong(text.substring(2), 16);
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String quantity(long number) {
        return "0x" + Long.toHexString(number);
    }
}
