package io.courier.relayer.submit;

import io.courier.fees.Fees;
import io.courier.finality.Transfer;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * A transaction ready to sign for {@code transfers} (one, or a batch's in nonce order) by {@code path} ("lone", "batch",
 * "checkpoint"); {@code replacing}: the dropped transaction this one replaces (lone only), empty for a first submission.
 */
record UnsignedDelivery(List<Transfer> transfers, String path, String calldata, BigInteger gasLimit, Fees fees,
                        Optional<Inflight> replacing) {

    UnsignedDelivery {
        transfers = List.copyOf(transfers);
    }

    static UnsignedDelivery lone(Transfer transfer, String calldata, BigInteger gasLimit, Fees fees, Optional<Inflight> replacing) {
        return new UnsignedDelivery(List.of(transfer), "lone", calldata, gasLimit, fees, replacing);
    }

    Transfer first() {
        return transfers.get(0);
    }

    boolean batch() {
        return transfers.size() > 1;
    }

    /** Why it is not signed now: the source chain of one of its transfers was halted while it was being prepared. */
    Optional<String> halted(LongPredicate isHalted) {
        return transfers.stream().filter(t -> isHalted.test(t.message().srcChainId())).findFirst().map(LonePreparation::haltedReason);
    }
}
