package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.Hex;
import io.courier.chain.message.TxHash;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One event log as the node returned it. The emitter, block and transaction are typed values; topics and data
 * stay hex (lower case, so they compare with {@code equals}) because decoding them strictly is the decoder's job:
 * a malformed topic rejects that one log, not the node's whole answer.
 *
 * @param topics topic 0 (the event signature hash) first, then the indexed parameters
 * @param data the ABI-encoded non-indexed parameters
 * @param removed true when the node reports the log left the canonical chain (Ganache never does)
 */
public record ChainLog(
        Address address,
        List<String> topics,
        String data,
        long blockNumber,
        BlockHash blockHash,
        TxHash txHash,
        long logIndex,
        boolean removed) {

    public ChainLog {
        Objects.requireNonNull(address, "address");
        topics = Objects.requireNonNull(topics, "topics").stream().map(Hex::normalize).toList();
        data = data == null || data.isEmpty() ? "0x" : Hex.normalize(data);
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(txHash, "txHash");
    }

    /** Topic 0, the event signature hash, or empty for anonymous events. */
    public Optional<String> topic0() {
        return topics.isEmpty() ? Optional.empty() : Optional.of(topics.get(0));
    }
}
