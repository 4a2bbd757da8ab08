package io.courier.relayer.api;

import java.util.concurrent.CompletionStage;

/** Operator actions on chains, behind the authenticated admin routes. */
public interface ChainAdmin {

    /** Clears a chain's halt; completes with false when the chain is unknown to this node. */
    CompletionStage<Boolean> resume(long chainId);
}
