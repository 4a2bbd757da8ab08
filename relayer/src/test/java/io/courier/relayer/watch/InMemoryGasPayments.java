package io.courier.relayer.watch;

import io.courier.chain.message.MessageId;
import io.courier.finality.store.GasPaymentStore;
import io.courier.payment.Charge;
import io.courier.payment.GasPayment;
import io.courier.payment.PaymentAccount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link GasPaymentStore} in memory, with the Cassandra store's keys: pending by sighting, final by (tx, log index). */
public final class InMemoryGasPayments implements GasPaymentStore {

    final Map<String, GasPayment> pending = new ConcurrentHashMap<>();
    public final Map<String, GasPayment> counted = new ConcurrentHashMap<>();
    public final Map<MessageId, Charge> charges = new ConcurrentHashMap<>();

    private static String sighting(GasPayment p) {
        return p.key() + "@" + p.blockHash().toHex();
    }

    @Override
    public CompletionStage<Void> observe(GasPayment payment) {
        pending.put(sighting(payment), payment);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<GasPayment>> pending(long srcChain, long fromBlock) {
        return CompletableFuture.completedFuture(pending.values().stream()
                .filter(p -> p.srcChain() == srcChain && p.blockNumber() >= fromBlock)
                .sorted(Comparator.comparingLong(GasPayment::blockNumber)).toList());
    }

    @Override
    public CompletionStage<Void> confirm(GasPayment payment) {
        counted.put(payment.id().toHex() + "/" + payment.key(), payment);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> discard(GasPayment payment) {
        pending.remove(sighting(payment));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> charge(MessageId id, Charge charge) {
        charges.put(id, charge);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<PaymentAccount> account(MessageId id) {
        List<GasPayment> mine = new ArrayList<>(counted.values().stream().filter(p -> p.id().equals(id)).toList());
        return CompletableFuture.completedFuture(new PaymentAccount(id, mine, Optional.ofNullable(charges.get(id))));
    }
}
