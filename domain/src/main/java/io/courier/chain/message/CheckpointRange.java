package io.courier.chain.message;

import java.util.List;

/** The rule every checkpoint range obeys: one route (source chain and gateway, destination chain), nonces contiguous. */
public final class CheckpointRange {

    private CheckpointRange() {}

    /** Throws {@link IllegalArgumentException} naming the first message that breaks the rule. */
    public static void requireContiguous(List<CrossChainMessage> range) {
        if (range == null || range.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint covers at least one message");
        }
        CrossChainMessage first = range.get(0);
        for (int i = 1; i < range.size(); i++) {
            CrossChainMessage m = range.get(i);
            if (m.srcChainId() != first.srcChainId() || !m.srcGateway().equals(first.srcGateway())
                    || m.dstChainId() != first.dstChainId()) {
                throw new IllegalArgumentException("message " + m.id() + " (nonce " + m.nonce() + ") is on route " + m.srcChainId()
                        + "/" + m.srcGateway() + " -> " + m.dstChainId() + ", not the checkpoint's " + first.srcChainId() + "/"
                        + first.srcGateway() + " -> " + first.dstChainId());
            }
            if (m.nonce() != first.nonce() + i) {
                throw new IllegalArgumentException("message " + m.id() + " of chain " + m.srcChainId() + " has nonce " + m.nonce()
                        + " at position " + i + " of a checkpoint starting at nonce " + first.nonce() + ": nonces must be contiguous");
            }
        }
    }
}
