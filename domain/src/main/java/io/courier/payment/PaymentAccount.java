package io.courier.payment;

import io.courier.chain.message.MessageId;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A message's final payments (blocks final and canonical) and, once judged at finality, its {@link Charge}. */
public record PaymentAccount(MessageId id, List<GasPayment> payments, Optional<Charge> charge) {

    public PaymentAccount {
        Objects.requireNonNull(id, "id");
        payments = List.copyOf(payments);
        Objects.requireNonNull(charge, "charge");
    }

    public static PaymentAccount empty(MessageId id) {
        return new PaymentAccount(id, List.of(), Optional.empty());
    }

    public BigInteger paid() {
        return GasPayment.total(payments);
    }

    /**
     * What was paid on the message's own source chain: a {@code payForGas} of the same id on another chain's gateway was
     * paid in another token, to a gateway that did not send it, and does not count.
     */
    public BigInteger paidOn(long srcChain) {
        return GasPayment.total(payments.stream().filter(p -> p.srcChain() == srcChain).toList());
    }
}
