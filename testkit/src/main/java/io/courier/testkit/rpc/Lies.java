package io.courier.testkit.rpc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The lies an {@link RpcProxy} tells, part of its {@link FaultPlan} (swapped with it atomically). Unlike the faults,
 * which are accidents, a lie is a well-formed answer that is false: invented logs, a head far ahead of the chain,
 * rewritten results. Lies ignore the plan's method filter: each names the methods it touches.
 *
 * @param logInventor the extra logs of {@code eth_getLogs} answers, or {@code null} for none
 * @param headClaim   the head claimed above the real one, or {@code null} for the real head
 * @param rewriters   result rewriters by JSON-RPC method
 */
public record Lies(Function<LogQuery, List<InventedLog>> logInventor, HeadClaim headClaim, Map<String, ResultRewriter> rewriters) {

    /** Honest answers. */
    public static final Lies NONE = new Lies(null, null, Map.of());

    /**
     * A head {@code blocks} above the real one. Blocks above the real head are invented from {@code salt} and the
     * number alone, so the same number always gets the same block while the claim lasts; timestamps go up one second
     * a block from {@code startSecond} at {@code startHead} (the real head when the claim began).
     */
    public record HeadClaim(long blocks, long salt, long startHead, long startSecond) {
        public HeadClaim {
            if (blocks < 1) {
                throw new IllegalArgumentException("a head claim is at least 1 block ahead, was " + blocks);
            }
        }
    }

    public Lies {
        rewriters = Map.copyOf(Objects.requireNonNull(rewriters, "rewriters"));
    }

    /** How many blocks ahead the claimed head is (0: the real head). */
    public long headAhead() {
        return headClaim == null ? 0 : headClaim.blocks();
    }

    public boolean any() {
        return logInventor != null || headClaim != null || !rewriters.isEmpty();
    }

    public Lies withLogInventor(Function<LogQuery, List<InventedLog>> inventor) {
        return new Lies(inventor, headClaim, rewriters);
    }

    public Lies withHeadClaim(HeadClaim claim) {
        return new Lies(logInventor, claim, rewriters);
    }

    /** With {@code rewriter} for {@code method}, replacing any earlier one; a {@code null} rewriter removes it. */
    public Lies withRewriter(String method, ResultRewriter rewriter) {
        Map<String, ResultRewriter> changed = new HashMap<>(rewriters);
        if (rewriter == null) {
            changed.remove(Objects.requireNonNull(method, "method"));
        } else {
            changed.put(Objects.requireNonNull(method, "method"), rewriter);
        }
        return new Lies(logInventor, headClaim, changed);
    }
}
