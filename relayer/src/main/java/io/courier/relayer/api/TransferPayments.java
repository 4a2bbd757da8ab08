package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.GasPaymentStore;
import io.courier.payment.Charge;
import io.courier.payment.PaymentAccount;
import io.courier.payment.PaymentMode;
import io.courier.payment.PaymentPolicy;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The {@code payment} member of a transfer (issue 11): its final payments and charge from the payment store, the route's
 * policy, and the top-up call on its source gateway.
 */
public final class TransferPayments {

    static final String TOP_UP_FUNCTION = "payForGas(bytes32)";
    /** {@code bytes4(keccak256("payForGas(bytes32)"))}, computed once. */
    private static final String TOP_UP_SELECTOR = org.web3j.utils.Numeric.toHexString(
            org.web3j.crypto.Hash.sha3(TOP_UP_FUNCTION.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).substring(0, 10);

    private final GasPaymentStore store;
    private final PaymentPolicy policy;
    private final Map<Long, Address> gateways;

    public TransferPayments(GasPaymentStore store, PaymentPolicy policy, Map<Long, Address> gateways) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.gateways = Map.copyOf(gateways);
    }

    CompletionStage<TransferView.Payment> of(Transfer t) {
        return store.account(t.id()).thenApply(account -> view(t, account, policy, gateways));
    }

    static TransferView.Payment view(Transfer t, PaymentAccount account, PaymentPolicy policy, Map<Long, Address> gateways) {
        long src = t.message().srcChainId();
        BigInteger paid = account.paidOn(src);
        PaymentMode mode = account.charge().map(Charge::mode).orElse(policy.forRoute(src, t.message().dstChainId()).mode());
        String required = account.charge().filter(c -> c.mode() == PaymentMode.REQUIRED).map(c -> c.required().toString()).orElse(null);
        String missing = mode == PaymentMode.SPONSORED ? "0"
                : account.charge().map(c -> c.missing(paid).toString()).orElse(null);
        Address gateway = gateways.get(src);
        boolean open = t.status() != TransferStatus.DELIVERED && t.status() != TransferStatus.REORGED;
        TransferView.TopUp topUp = open && gateway != null
                ? new TransferView.TopUp(src, gateway.toHex(), TOP_UP_FUNCTION, TOP_UP_SELECTOR + t.id().toHex().substring(2))
                : null;
        return new TransferView.Payment(mode.label(), paid.toString(), required, missing, topUp);
    }
}
