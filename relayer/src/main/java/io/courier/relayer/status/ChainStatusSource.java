package io.courier.relayer.status;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where {@code GET /v1/chains} and the chain part of {@code /readyz} read the chains' state. The chain watchers
 * feed an implementation ({@link ChainStatusBoard} is a ready one); it must answer without blocking.
 */
@FunctionalInterface
public interface ChainStatusSource {

    /** The status of every configured chain, ordered by chain id. */
    CompletionStage<List<ChainStatus>> chains();
}
