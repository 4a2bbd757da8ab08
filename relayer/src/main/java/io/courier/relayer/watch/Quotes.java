package io.courier.relayer.watch;

import io.courier.payment.Requirement;
import java.util.concurrent.CompletionStage;

/**
 * What a message of route {@code from -> to} must pay now: the oracle's quote for the destination gateway's handler gas,
 * or why there is none. Asked by the watcher when a message's block becomes final; may do I/O (completes off the
 * actor's thread) and never fails: a failure is an {@link Requirement.Unavailable} naming it.
 */
@FunctionalInterface
public interface Quotes {

    CompletionStage<Requirement> requirement(long from, long to);
}
