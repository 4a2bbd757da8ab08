package io.courier.chain;

import io.courier.chain.message.Hex;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One event log as the node returned it. Hex values are normalised to lower case so that addresses and
 * topics compare with {@code equals}.
 *
 * @param topics topic 0 (the event signature hash) first, then the indexed parameters
 * @param data the ABI-encoded non-indexed parameters
 * @param removed true when the node reports the log left the canonical chain (Ganache never does)
 */
public record ChainLog(
        String address,
        List<String> topics,
        String data,
        long blockNumber,
        String blockHash,
        String txHash,
        long logIndex,
        boolean removed) {

    public ChainLog {
        address = Hex.normalize(Objects.requireNonNull(address, "address"));
        topics = Objects.requireNonNull(topics, "topics").stream().map(Hex::normalize).toList();
        data = data == null || data.isEmpty() ? "0x" : Hex.normalize(data);
        blockHash = Hex.normalize(Objects.requireNonNull(blockHash, "blockHash"));
        txHash = Hex.normalize(Objects.requireNonNull(txHash, "txHash"));
    }

    /** Topic 0, the event signature hash, or empty for anonymous events. */
    public Optional<String> topic0() {
        return topics.isEmpty() ? Optional.empty() : Optional.of(topics.get(0));
    }
}
