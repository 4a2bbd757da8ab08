package io.courier.chain.web3j;

import io.courier.chain.ChainRpcException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Waiting on a client's stages in tests: the value, or the {@link ChainRpcException} it failed with. */
final class ClientStages {

    private ClientStages() {}

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    static ChainRpcException failure(CompletionStage<?> stage) {
        Throwable thrown = catchThrowable(() -> await(stage));
        assertThat(thrown).isInstanceOf(ChainRpcException.class);
        return (ChainRpcException) thrown;
    }
}
