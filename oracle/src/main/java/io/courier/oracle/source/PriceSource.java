package io.courier.oracle.source;

import io.courier.oracle.PriceObservation;
import io.courier.oracle.SourceReading;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** One source of one asset's price. {@link #observe} does I/O and returns at once; {@link #read} never fails. */
public interface PriceSource {

    String asset();

    /** The source's label in metrics and the API: an operator's name, or an RPC endpoint's label. Never a URL. */
    String name();

    /** The current value; fails when the source cannot be read. */
    CompletionStage<PriceObservation> observe();

    /** {@link #observe}, its failure (even a synchronous one) turned into {@link SourceReading.Failed}. */
    default CompletionStage<SourceReading> read() {
        CompletionStage<PriceObservation> stage;
        try {
            stage = observe();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.handle((observation, error) -> error == null
                ? new SourceReading.Observed(observation)
                : new SourceReading.Failed(asset(), name(), describe(error)));
    }

    /** The failure's own message, unwrapped; implementations keep secrets out of their messages. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
