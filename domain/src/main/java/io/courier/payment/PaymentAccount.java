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
}
