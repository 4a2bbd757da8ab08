package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;

/**
 * A log entry a lying endpoint adds to its {@code eth_getLogs} answers ({@link RpcProxy#inventLogs}). It may sit in a
 * real block (its real number and hash) with a transaction hash that never existed: the forgery a node must not sign.
 * Fields are checked when the log is made, so a test gets its mistake at once, not as a puzzling client error; hex
 * strings are kept in lower case, which is how nodes answer them.
 *
 * @param address          the emitting contract, {@code 0x} + 40 hex digits
 * @param topics           0 to 4 topics, each {@code 0x} + 64 hex digits
 * @param data             {@code 0x} + an even number of hex digits
 * @param blockNumber      the block the log claims to be in
 * @param blockHash        {@code 0x} + 64 hex digits
 * @param transactionHash  {@code 0x} + 64 hex digits (see {@link #madeUpHash(String)})
 * @param transactionIndex the transaction's index in the block
 * @param logIndex         the log's index in the block: what the merged answer is sorted by after the block number
 */
public record InventedLog(
        String address,
        List<String> topics,
        String data,
        long blockNumber,
        String blockHash,
        String transactionHash,
        long transactionIndex,
        long logIndex) {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");
    private static final Pattern WORD = Pattern.compile("0x[0-9a-f]{64}");
    private static final Pattern BYTES = Pattern.compile("0x([0-9a-f]{2})*");

    public InventedLog {
        address = checked("address", address, ADDRESS);
        topics = Objects.requireNonNull(topics, "topics").stream().map(t -> checked("topic", t, WORD)).toList();
        if (topics.size() > 4) {
            throw new IllegalArgumentException("a log has at most 4 topics, was " + topics.size());
        }
        data = checked("data", data, BYTES);
        blockHash = checked("blockHash", blockHash, WORD);
        transactionHash = checked("transactionHash", transactionHash, WORD);
        if (blockNumber < 0 || transactionIndex < 0 || logIndex < 0) {
            throw new IllegalArgumentException("blockNumber, transactionIndex and logIndex must be >= 0, were "
                    + blockNumber + ", " + transactionIndex + ", " + logIndex);
        }
    }

    private static String checked(String what, String value, Pattern shape) {
        String lower = Objects.requireNonNull(value, what).toLowerCase(Locale.ROOT);
        if (!shape.matcher(lower).matches()) {
            throw new IllegalArgumentException(what + " must match " + shape.pattern() + ", was " + value);
        }
        return lower;
    }

    /** A 32-byte hash no chain has, the same for the same seed: a transaction hash for a forgery. */
    public static String madeUpHash(String seed) {
        return Hash.sha3String("courier-testkit-made-up:" + Objects.requireNonNull(seed, "seed"));
    }

    /** This log in the shape of a JSON-RPC answer ({@code eth_getLogs}, a receipt's {@code logs}): quantities in hex. */
    public ObjectNode toJson() {
        ObjectNode log = JsonNodeFactory.instance.objectNode();
        log.put("logIndex", BlockTags.quantity(logIndex));
        log.put("blockNumber", BlockTags.quantity(blockNumber));
        log.put("blockHash", blockHash);
        log.put("transactionHash", transactionHash);
        log.put("transactionIndex", BlockTags.quantity(transactionIndex));
        log.put("address", address);
        log.put("data", data);
        ArrayNode array = log.putArray("topics");
        topics.forEach(array::add);
        log.put("removed", false);
        return log;
    }

    /**
     * A successful receipt of the made-up transaction that carries {@code logs} (all of one transaction: the first
     * one's block and transaction hash are the receipt's), for a {@link RpcProxy#rewriteResult} that answers a
     * receipt where the chain has none. Gas figures are plausible, not meaningful.
     */
    public static ObjectNode receiptOf(List<InventedLog> logs, String from, String to) {
        if (Objects.requireNonNull(logs, "logs").isEmpty()) {
            throw new IllegalArgumentException("a receipt of invented logs needs at least one log");
        }
        InventedLog first = logs.get(0);
        ObjectNode receipt = JsonNodeFactory.instance.objectNode();
        receipt.put("transactionHash", first.transactionHash());
        receipt.put("transactionIndex", BlockTags.quantity(first.transactionIndex()));
        receipt.put("blockHash", first.blockHash());
        receipt.put("blockNumber", BlockTags.quantity(first.blockNumber()));
        receipt.put("from", checked("from", from, ADDRESS));
        receipt.put("to", checked("to", to, ADDRESS));
        receipt.put("cumulativeGasUsed", "0x186a0");
        receipt.put("gasUsed", "0x186a0");
        receipt.putNull("contractAddress");
        ArrayNode array = receipt.putArray("logs");
        logs.forEach(l -> array.add(l.toJson()));
        receipt.put("logsBloom", "0x" + "0".repeat(512));
        receipt.put("status", "0x1");
        receipt.put("effectiveGasPrice", "0x4a817c800");
        receipt.put("type", "0x2");
        return receipt;
    }
}
