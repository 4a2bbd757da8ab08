package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.Hex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@code eth_getLogs} asks for: logs emitted by {@code address} in blocks {@code [fromBlock, toBlock]}
 * (inclusive) whose topic 0 is one of {@code topic0s} (any when empty) and, when given, whose topic 1 (the first
 * indexed argument, such as a message id) is {@code topic1}.
 */
public record LogFilter(Address address, List<String> topic0s, Optional<String> topic1, long fromBlock, long toBlock) {

    public LogFilter {
        Objects.requireNonNull(address, "address");
        topic0s = topic0s.stream().map(t -> Hex.fixed("topic 0", t, 32)).toList();
        topic1 = Objects.requireNonNull(topic1, "topic1").map(t -> Hex.fixed("topic 1", t, 32));
        if (fromBlock < 0 || toBlock < fromBlock) {
            throw new IllegalArgumentException("log filter of " + address + ": need 0 <= fromBlock <= toBlock, was "
                    + fromBlock + ".." + toBlock);
        }
    }

    public static LogFilter of(Address address, List<String> topic0s, long fromBlock, long toBlock) {
        return new LogFilter(address, topic0s, Optional.empty(), fromBlock, toBlock);
    }

    /** The same filter narrowed to logs whose topic 1 is {@code topic1}. */
    public LogFilter withTopic1(String topic1) {
        return new LogFilter(address, topic0s, Optional.of(topic1), fromBlock, toBlock);
    }
}
