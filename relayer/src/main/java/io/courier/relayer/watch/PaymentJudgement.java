package io.courier.relayer.watch;

import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransitionOutcome;
import io.courier.payment.Charge;
import io.courier.payment.GasPayment;
import io.courier.payment.PaymentAccount;
import io.courier.payment.PaymentMode;
import io.courier.payment.PaymentVerdict;
import io.courier.payment.Requirement;
import io.courier.payment.RoutePayment;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.telemetry.TransferTracing;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment side of the watcher's settlement (issue 11, docs/adr/011-payment-at-finality.md): a transfer final and
 * vouched for is judged by its route's policy against the quote — FINALIZED, UNDERPAID with its charge recorded
 * first, or left SENT while a required route cannot be quoted — and an UNDERPAID one whose counted payments now cover
 * its charge moves on to FINALIZED. The verdicts are the pure {@code io.courier.payment} policy's; this stage reads
 * the accounts and quotes and writes the outcome. Runs off the actor's thread, holds no state.
 */
final class PaymentJudgement {

    private static final Logger log = LoggerFactory.getLogger(ChainWatcher.class);

    private final ChainWatcher.Wiring w;
    private final String label;

    PaymentJudgement(ChainSettings chain, ChainWatcher.Wiring wiring) {
        this.w = wiring;
        this.label = chain.name();
    }

    /**
     * UNDERPAID transfers among those a newly counted payment was for: moved to FINALIZED once their payments on this chain
     * cover the charge fixed at finality.
     */
    CompletionStage<List<ChainWatcher.ToppedUp>> topUps(List<GasPayment> confirmed, Instant now) {
        List<CompletableFuture<Optional<ChainWatcher.ToppedUp>>> checks = confirmed.stream().map(GasPayment::id).distinct()
                .map(id -> w.transfers().find(id).thenCompose(found -> {
                    if (found.isEmpty() || found.get().status() != TransferStatus.UNDERPAID) {
                        return CompletableFuture.completedFuture(Optional.<ChainWatcher.ToppedUp>empty());
                    }
                    Transfer t = found.get();
                    return w.payments().store().orElseThrow().account(id).thenCompose(account -> {
                        BigInteger paid = account.paidOn(t.message().srcChainId());
                        boolean covered = account.charge().map(c -> c.coveredBy(paid)).orElse(false);
                        if (!covered) {
                            log.info("chain {}: transfer {} UNDERPAID: a payment counted, {} wei paid in all, {} wei still missing",
                                    label, id, paid, account.charge().map(c -> c.missing(paid).toString()).orElse("?"));
                            return CompletableFuture.completedFuture(Optional.<ChainWatcher.ToppedUp>empty());
                        }
                        return TransferTracing.inTransfer(id.toHex(), () -> w.transfers().transition(id, TransferStatus.UNDERPAID,
                                new TransferEvent.TopUpSeen(paid), now)).thenApply(o -> o instanceof TransitionOutcome.Applied a
                                ? Optional.of(new ChainWatcher.ToppedUp(a.updated(), paid)) : Optional.<ChainWatcher.ToppedUp>empty());
                    });
                }).toCompletableFuture()).toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .thenApply(x -> checks.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }

    /**
     * How a transfer final by height and vouched for leaves SENT: without payments, FINALIZED; with them, by its route's
     * policy against the quote — FINALIZED, UNDERPAID (its charge recorded first, for the API), or not at all while a
     * required route has no quote.
     */
    CompletionStage<ChainWatcher.Finalizing> judged(FinalityPlan.Finalize f, Optional<Transfer> found, Instant now) {
        MessageId id = f.row().id();
        if (!w.payments().enabled() || found.isEmpty()) {
            return w.transfers().transition(id, TransferStatus.SENT, new TransferEvent.Finalized(f.seen()), now)
                    .thenApply(outcome -> (ChainWatcher.Finalizing) new ChainWatcher.Written(outcome));
        }
        Transfer t = found.get();
        long from = t.message().srcChainId();
        long to = t.message().dstChainId();
        RoutePayment rule = w.payments().policy().forRoute(from, to);
        CompletionStage<Requirement> requirement = rule.mode() == PaymentMode.SPONSORED
                ? CompletableFuture.completedFuture(new Requirement.Quoted(BigInteger.ZERO, 0))
                : w.payments().quotes().requirement(from, to);
        var store = w.payments().store().orElseThrow();
        return store.account(id).thenCombine(requirement, (account, req) -> new Object[] {account, req}).thenCompose(pair -> {
            PaymentAccount account = (PaymentAccount) pair[0];
            Requirement req = (Requirement) pair[1];
            PaymentVerdict verdict = w.payments().policy().judge(from, to, account.paidOn(from), req);
            if (verdict instanceof PaymentVerdict.NoQuote none) {
                return CompletableFuture.completedFuture((ChainWatcher.Finalizing) new ChainWatcher.Unpriced(f.row(), none.reason()));
            }
            Charge charge = req instanceof Requirement.Quoted q && rule.mode() == PaymentMode.REQUIRED
                    ? new Charge(PaymentMode.REQUIRED, q.fee(), rule.threshold(q.fee()), q.gasLimit(), now)
                    : Charge.sponsored(now);
            CompletionStage<Void> charged = store.charge(id, charge);
            if (verdict instanceof PaymentVerdict.Underpaid under) {
                return charged.thenCompose(x -> TransferTracing.inTransfer(id.toHex(), () -> w.transfers().transition(id,
                        TransferStatus.SENT, new TransferEvent.Underpaid(under.paid(), under.required()), now)))
                        .thenApply(outcome -> (ChainWatcher.Finalizing) new ChainWatcher.Held(outcome, under));
            }
            return charged.thenCompose(x -> w.transfers().transition(id, TransferStatus.SENT, new TransferEvent.Finalized(f.seen()), now))
                    .thenApply(outcome -> (ChainWatcher.Finalizing) new ChainWatcher.Written(outcome));
        });
    }

}
