package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The filter of one {@code eth_getLogs} call, as an inventor ({@link RpcProxy#inventLogs}) sees it: the block range
 * in numbers (the proxy resolves the tags as it forwards the call, so the range is exactly the one the node answers),
 * the addresses and the topics, in lower case.
 *
 * @param fromBlock first block of the range; {@code -1} for a query by {@link #blockHash}
 * @param toBlock   last block of the range (inclusive); {@code -1} for a query by {@link #blockHash}
 * @param blockHash the block of an EIP-234 query ({@code {"blockHash": ...}}), else {@code null}
 * @param addresses any of these emitters; empty means any address
 * @param topics    per position, any of these values; an empty list is a wildcard (a JSON {@code null})
 */
public record LogQuery(long fromBlock, long toBlock, String blockHash, List<String> addresses, List<List<String>> topics) {

    public LogQuery {
        addresses = List.copyOf(addresses);
        topics = topics.stream().map(List::copyOf).toList();
    }

    /** Whether a node would answer {@code log} to this query: range (or block hash), address, and every topic position. */
    public boolean matches(InventedLog log) {
        if (blockHash != null ? !blockHash.equals(log.blockHash())
                : log.blockNumber() < fromBlock || log.blockNumber() > toBlock) {
            return false;
        }
        if (!addresses.isEmpty() && !addresses.contains(log.address())) {
            return false;
        }
        if (topics.size() > log.topics().size()) {
            return false; // as geth: a filter longer than the log's topics never matches, even with trailing wildcards
        }
        for (int i = 0; i < topics.size(); i++) {
            if (!topics.get(i).isEmpty() && !topics.get(i).contains(log.topics().get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a filter whose {@code fromBlock}/{@code toBlock} are numbers already, or {@code null} if it is not one
     * the proxy understands (a malformed filter goes to the node untouched and gets the node's own error).
     */
    static LogQuery parse(JsonNode filter) {
        String hash = filter.path("blockHash").isTextual() ? filter.get("blockHash").asText().toLowerCase(Locale.ROOT) : null;
        long from = hash != null ? -1 : BlockTags.parseQuantity(filter.path("fromBlock").asText(""));
        long to = hash != null ? -1 : BlockTags.parseQuantity(filter.path("toBlock").asText(""));
        if (hash == null && (from < 0 || to < 0)) {
            return null;
        }
        List<String> addresses = new ArrayList<>();
        JsonNode address = filter.get("address");
        if (address != null && !address.isNull() && !addAll(address, addresses)) {
            return null;
        }
        List<List<String>> topics = new ArrayList<>();
        JsonNode positions = filter.get("topics");
        if (positions != null && !positions.isNull()) {
            if (!positions.isArray()) {
                return null;
            }
            for (JsonNode position : positions) {
                List<String> any = new ArrayList<>();
                if (!position.isNull() && !addAll(position, any)) {
                    return null;
                }
                topics.add(any);
            }
        }
        return new LogQuery(from, to, hash, addresses, topics);
    }

    /** Adds a string, or every string of an array, in lower case; false if the node is anything else. */
    private static boolean addAll(JsonNode stringOrArray, List<String> into) {
        if (stringOrArray.isTextual()) {
            into.add(stringOrArray.asText().toLowerCase(Locale.ROOT));
            return true;
        }
        if (!stringOrArray.isArray()) {
            return false;
        }
        for (JsonNode value : stringOrArray) {
            if (!value.isTextual()) {
                return false;
            }
            into.add(value.asText().toLowerCase(Locale.ROOT));
        }
        return true;
    }
}
