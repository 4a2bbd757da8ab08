package io.courier.finality.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import io.courier.finality.store.StoreException;
import io.courier.finality.store.StoreOverloadedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How driver failures become store exceptions: a refusal by the throttler is told apart from a failed request. */
class AsyncTest {

    @Test
    void aRequestTheThrottlerRefusedIsAnOverloadNamingWhatWasRefused() {
        CompletableFuture<Object> refused = CompletableFuture.failedFuture(
                new RequestThrottlingException("The session has reached its maximum capacity"));

        assertThatThrownBy(() -> Async.described(refused, () -> "transfer 0x01: find").toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(StoreOverloadedException.class)
                .hasMessageContaining("transfer 0x01: find")
                .hasMessageContaining("maximum capacity")
                .satisfies(e -> assertThat(((StoreException) e).outcomeUnknown()).isFalse());
    }

    @Test
    void aTimeoutIsAStoreFailureOfUnknownOutcomeNotAnOverload() {
        CompletableFuture<Object> timedOut = CompletableFuture.failedFuture(new DriverTimeoutException("Query timed out"));

        assertThatThrownBy(() -> Async.described(timedOut, () -> "transfer 0x01: find").toCompletableFuture().join())
                .cause().isInstanceOf(StoreException.class).isNotInstanceOf(StoreOverloadedException.class)
                .satisfies(e -> assertThat(((StoreException) e).outcomeUnknown()).isTrue());
    }
}
