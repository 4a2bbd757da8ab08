package io.courier.relayer.status;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which source chains are halted (a reorg replaced a block treated as final): nothing from them is attested or
 * delivered until an operator resumes them. Cassandra's cursor holds the durable state; this is the node's
 * in-memory view that the watcher sets and the attester and submitters consult on every transfer.
 */
public final class HaltedChains {

    private final Map<Long, String> halted = new ConcurrentHashMap<>();

    public void halt(long chainId, String reason) {
        halted.put(chainId, reason);
    }

    public void resume(long chainId) {
        halted.remove(chainId);
    }

    public boolean isHalted(long chainId) {
        return halted.containsKey(chainId);
    }

    public Optional<String> reason(long chainId) {
        return Optional.ofNullable(halted.get(chainId));
    }
}
