package io.courier.relayer.watch;

import io.courier.finality.store.GasPaymentStore;
import io.courier.payment.PaymentPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * What the watcher needs to hold messages for payment (issue 11): the store of {@code GasPaid} payments and charges, each
 * route's policy and the quotes. {@link #OFF} reads no {@code GasPaid} logs and judges nothing: every final message goes
 * on as before (unit tests of other concerns).
 */
public record Payments(Optional<GasPaymentStore> store, PaymentPolicy policy, Quotes quotes) {

    public static final Payments OFF = new Payments(Optional.empty(), PaymentPolicy.SPONSORED,
            (from, to) -> java.util.concurrent.CompletableFuture.completedFuture(
                    new io.courier.payment.Requirement.Unavailable("payments are off")));

    public Payments {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(quotes, "quotes");
    }

    public static Payments of(GasPaymentStore store, PaymentPolicy policy, Quotes quotes) {
        return new Payments(Optional.of(store), policy, quotes);
    }

    public boolean enabled() {
        return store.isPresent();
    }
}
