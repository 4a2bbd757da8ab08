package io.courier.delivery;

import io.courier.chain.message.CheckpointRange;
import io.courier.chain.message.CrossChainMessage;
import java.util.List;

/**
 * One destination transaction's worth of messages of one route, and the gateway path that carries it. Messages are
 * in nonce order. {@code estimatedGas} is the planner's model ({@link DeliveryGas}), not the transaction's limit: the
 * submitter asks the chain for that.
 */
public sealed interface Delivery {

    List<CrossChainMessage> messages();

    long estimatedGas();

    /** The path's name, for logs and the {@code path} label of metrics. */
    String path();

    /** One message on its own ({@code executeBatch} of one): alone at the tick, or cut out of a batch that failed. */
    record Lone(CrossChainMessage message, long estimatedGas) implements Delivery {
        @Override
        public List<CrossChainMessage> messages() {
            return List.of(message);
        }

        @Override
        public String path() {
            return "lone";
        }
    }

    /** Several messages of one route, any nonces, each with its own signatures ({@code executeBatch}). */
    record Batch(List<CrossChainMessage> messages, long estimatedGas) implements Delivery {
        public Batch {
            messages = List.copyOf(messages);
            if (messages.size() < 2) {
                throw new IllegalArgumentException("a batch holds at least two messages, a single one is Lone");
            }
        }

        @Override
        public String path() {
            return "batch";
        }
    }

    /** A contiguous nonce range of one route under one signed root ({@code executeCheckpoint}). */
    record Checkpoint(List<CrossChainMessage> messages, long estimatedGas) implements Delivery {
        public Checkpoint {
            messages = List.copyOf(messages);
            CheckpointRange.requireContiguous(messages);
            if (messages.size() < 2) {
                throw new IllegalArgumentException("a checkpoint of one message costs more than a lone one; plan it Lone");
            }
        }

        public long firstNonce() {
            return messages.get(0).nonce();
        }

        public long lastNonce() {
            return messages.get(messages.size() - 1).nonce();
        }

        @Override
        public String path() {
            return "checkpoint";
        }
    }
}
