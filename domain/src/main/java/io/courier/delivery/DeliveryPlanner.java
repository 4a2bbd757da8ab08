package io.courier.delivery;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Chooses the destination transactions for the messages ready at a tick (docs/adr/009-batched-delivery.md). Per
 * route, in nonce order:
 * <ol>
 *   <li>messages marked alone (they failed inside a batch) go {@link Delivery.Lone};</li>
 *   <li>each maximal run of contiguous nonces goes out as {@link Delivery.Checkpoint}s, cut where the next message
 *       would pass {@link Limits#maxMessages()} or the gas budget, when checkpoints can be signed and are cheaper;</li>
 *   <li>what is left goes in {@link Delivery.Batch}es (per-message signatures, any nonces) under the same limits,
 *       a single one {@link Delivery.Lone}.</li>
 * </ol>
 * Nothing waits for a batch to fill: the plan covers what is ready now. A single message over the budget is still
 * planned (Lone); the submitter's delivery check parks it with its reason. Pure.
 */
public final class DeliveryPlanner {

    /**
     * @param maxMessages  most messages in one transaction
     * @param gasBudget    most gas one transaction may be planned to need (the chain's cap, and a share of its block)
     * @param checkpoints  whether checkpoints can be signed now (enough validators answer checkpoint requests)
     * @param maxCalldataBytes most calldata in one transaction (nodes refuse transactions above 128 KiB)
     */
    public record Limits(int maxMessages, long gasBudget, boolean checkpoints, long maxCalldataBytes) {
        /** What geth's pool accepts ({@code txMaxSize} 128 KiB), less a KiB for the envelope. */
        public static final long NODE_CALLDATA_LIMIT = 128 * 1024 - 1024;

        public Limits {
            if (maxMessages < 1 || gasBudget < 1 || maxCalldataBytes < 1) {
                throw new IllegalArgumentException("maxMessages, gasBudget and maxCalldataBytes must be >= 1, were " + maxMessages
                        + ", " + gasBudget + " and " + maxCalldataBytes);
            }
        }

        public Limits(int maxMessages, long gasBudget, boolean checkpoints) {
            this(maxMessages, gasBudget, checkpoints, NODE_CALLDATA_LIMIT);
        }
    }

    private DeliveryPlanner() {}

    public static List<Delivery> plan(List<CrossChainMessage> ready, Set<MessageId> alone, Limits limits, DeliveryGas gas) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(gas, "gas model");
        Map<String, Map<MessageId, CrossChainMessage>> byRoute = new LinkedHashMap<>();
        for (CrossChainMessage m : ready) {
            byRoute.computeIfAbsent(m.srcChainId() + "/" + m.srcGateway() + "->" + m.dstChainId(), k -> new LinkedHashMap<>())
                    .putIfAbsent(m.id(), m);
        }
        List<Delivery> plan = new ArrayList<>();
        for (Map<MessageId, CrossChainMessage> route : byRoute.values()) {
            List<CrossChainMessage> sorted = route.values().stream().sorted(Comparator.comparingLong(CrossChainMessage::nonce)).toList();
            List<CrossChainMessage> rest = new ArrayList<>();
            for (CrossChainMessage m : sorted) {
                if (alone.contains(m.id())) {
                    plan.add(new Delivery.Lone(m, gas.lone(m)));
                } else {
                    rest.add(m);
                }
            }
            plan.addAll(planRoute(rest, limits, gas));
        }
        return List.copyOf(plan);
    }

    private static List<Delivery> planRoute(List<CrossChainMessage> sorted, Limits limits, DeliveryGas gas) {
        List<Delivery> out = new ArrayList<>();
        List<CrossChainMessage> leftovers = new ArrayList<>();
        for (List<CrossChainMessage> run : runs(sorted)) {
            if (!limits.checkpoints() || run.size() < 2) {
                leftovers.addAll(run);
                continue;
            }
            for (List<CrossChainMessage> chunk : chunks(run, limits, gas::checkpoint, gas::checkpointBytes)) {
                if (chunk.size() >= 2 && gas.checkpoint(chunk) < gas.batch(chunk)) {
                    out.add(new Delivery.Checkpoint(chunk, gas.checkpoint(chunk)));
                } else {
                    leftovers.addAll(chunk);
                }
            }
        }
        leftovers.sort(Comparator.comparingLong(CrossChainMessage::nonce));
        for (List<CrossChainMessage> chunk : chunks(leftovers, limits, gas::batch, gas::batchBytes)) {
            long lones = chunk.stream().mapToLong(gas::lone).sum();
            if (chunk.size() >= 2 && gas.batch(chunk) < lones) {
                out.add(new Delivery.Batch(chunk, gas.batch(chunk)));
            } else {
                chunk.forEach(m -> out.add(new Delivery.Lone(m, gas.lone(m))));
            }
        }
        return out;
    }

    /** Maximal runs of consecutive nonces. */
    static List<List<CrossChainMessage>> runs(List<CrossChainMessage> sorted) {
        List<List<CrossChainMessage>> runs = new ArrayList<>();
        List<CrossChainMessage> run = new ArrayList<>();
        for (CrossChainMessage m : sorted) {
            if (!run.isEmpty() && m.nonce() != run.get(run.size() - 1).nonce() + 1) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(m);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** Greedy cuts: a chunk grows while it holds fewer than the maximum and its cost stays within the budget. */
    private static List<List<CrossChainMessage>> chunks(List<CrossChainMessage> messages, Limits limits,
                                                       ToLongFunction<List<CrossChainMessage>> cost,
                                                       ToLongFunction<List<CrossChainMessage>> bytes) {
        List<List<CrossChainMessage>> chunks = new ArrayList<>();
        List<CrossChainMessage> chunk = new ArrayList<>();
        for (CrossChainMessage m : messages) {
            if (!chunk.isEmpty()) {
                List<CrossChainMessage> grown = new ArrayList<>(chunk);
                grown.add(m);
                if (chunk.size() >= limits.maxMessages() || cost.applyAsLong(grown) > limits.gasBudget()
                        || bytes.applyAsLong(grown) > limits.maxCalldataBytes()) {
                    chunks.add(chunk);
                    chunk = new ArrayList<>();
                }
            }
            chunk.add(m);
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }
}
