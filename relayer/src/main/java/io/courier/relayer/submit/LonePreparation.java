package io.courier.relayer.submit;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeePricer;
import io.courier.finality.Attestation;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.telemetry.TransferTracing;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.web3j.utils.Numeric;

/**
 * The preparation stage of one message on its own ({@code execute}, or {@code retry} for a message the destination
 * holds as Failed): a first submission of an ATTESTED transfer, or the
 * replacement of a dropped transaction it is SUBMITTED with. Loads the transfer and its signatures, checks the
 * destination's limits ({@link DeliveryCheck}), runs the pre-flight {@code eth_call} and prices it; a pre-flight that
 * reverts asks the gateway whether someone executed the message. Reads the stores and the chain, holds no state: the
 * submitter actor runs it off its thread and acts on the typed {@link Outcome}.
 */
final class LonePreparation {

    /** What became of preparing one message. */
    sealed interface Outcome {
        MessageId id();

        /** Ready to sign. */
        record Ready(UnsignedDelivery delivery) implements Outcome {
            @Override
            public MessageId id() {
                return delivery.first().id();
            }
        }

        /** Not now, for a reason that may pass (moved on, halted, too few signatures, fees over the cap): nothing signed. */
        record NotNow(MessageId id, String reason) implements Outcome {}

        /**
         * Never deliverable as it is (over a destination limit, or its nonce executed by another message): UNDELIVERABLE
         * without taking a nonce. {@code from}: ATTESTED, or SUBMITTED when it replaces a dropped transaction.
         */
        record Blocked(Transfer transfer, TransferStatus from, TransferEvent.Undeliverable event) implements Outcome {
            @Override
            public MessageId id() {
                return transfer.id();
            }
        }

        /** A first submission whose pre-flight reverted and that nobody executed: it backs off ({@link PreflightBackoff}). */
        record PreflightReverted(Transfer transfer, String reason) implements Outcome {
            @Override
            public MessageId id() {
                return transfer.id();
            }
        }

        /**
         * Someone else's transaction (or one of ours we lost track of) executed the message on the destination;
         * {@code replacing}: our dropped transaction the transfer is SUBMITTED with, empty when it is ATTESTED.
         */
        record ExecutedElsewhere(Transfer transfer, TxHash txHash, long nonce, Optional<Inflight> replacing) implements Outcome {
            @Override
            public MessageId id() {
                return transfer.id();
            }
        }
    }

    private final Submitter.Wiring w;
    private final DestinationGateway gateway;
    private final FeeQuotes fees;
    private final long handlerGasLimit;

    LonePreparation(Submitter.Wiring wiring, DestinationGateway gateway, FeeQuotes fees, long handlerGasLimit) {
        this.w = wiring;
        this.gateway = gateway;
        this.fees = fees;
        this.handlerGasLimit = handlerGasLimit;
    }

    /** An execute of {@code id}, ATTESTED; or, {@code replacing} a dropped transaction, still SUBMITTED with it. */
    CompletionStage<Outcome> prepare(MessageId id, Optional<Inflight> replacing) {
        return w.transfers().find(id).thenCompose(found -> {
            boolean ready = replacing.isEmpty()
                    ? found.isPresent() && found.get().status() == TransferStatus.ATTESTED
                    : found.isPresent() && found.get().status() == TransferStatus.SUBMITTED
                            && found.get().destinationTx().map(replacing.get().txHash()::equals).orElse(false);
            if (!ready) {
                return done(new Outcome.NotNow(id, "not " + replacing.map(r -> "SUBMITTED with " + r.txHash()).orElse("ATTESTED")
                        + " any more: " + found.map(t -> t.status().name()).orElse("unknown")));
            }
            Transfer t = found.get();
            if (w.halted().isHalted(t.message().srcChainId())) {
                return done(new Outcome.NotNow(id, haltedReason(t)));
            }
            // a message the destination holds as Failed (an operator's retry moved FAILED back to ATTESTED) is
            // delivered again through Gateway.retry: execute would revert, its replay bit being set. Only a transfer
            // that has had a destination transaction can be Failed there: a first delivery asks nothing more.
            if (t.destinationTx().isEmpty()) {
                return signedExecute(t, replacing);
            }
            return gateway.status(t.message()).thenCompose(status -> status == DestinationGateway.Status.FAILED
                    ? checkedAndPriced(t, ExecuteCall.retry(t.message()), 0, replacing)
                    : signedExecute(t, replacing));
        });
    }

    /** An {@code execute} carrying exactly {@code threshold} of the message's signatures. */
    private CompletionStage<Outcome> signedExecute(Transfer t, Optional<Inflight> replacing) {
        MessageId id = t.id();
        var digest = w.keys().digest(id, t.message().dstChainId(), gateway.address().toHex());
        return w.attestations().list(id).thenCompose(all -> {
            // exactly threshold signatures (each extra one costs gas), ordered by signer as the gateway checks
            List<Attestation> chosen = w.keys().forExecute(digest, all);
            if (chosen.size() < w.keys().threshold()) {
                return done(new Outcome.NotNow(id, "only " + chosen.size() + " valid signatures"));
            }
            List<byte[]> signatures = chosen.stream().map(a -> Numeric.hexStringToByteArray(a.signature())).toList();
            return checkedAndPriced(t, ExecuteCall.encode(t.message(), signatures), signatures.size(), replacing);
        });
    }

    /**
     * Within the destination's limits, or never signed: a transaction the node must refuse would hold its nonce and
     * every later one of this signer (the head gives the block gas limit). Then the pre-flight and the price.
     */
    private CompletionStage<Outcome> checkedAndPriced(Transfer t, String calldata, int signatures, Optional<Inflight> replacing) {
        byte[] bytes = Numeric.hexStringToByteArray(calldata);
        return w.client().head().thenCompose(head -> {
            DeliveryCheck.Verdict verdict = DeliveryCheck.of(bytes, signatures, handlerGasLimit,
                    w.settings().maxGasLimit(), head.gasLimit());
            if (verdict instanceof DeliveryCheck.Verdict.Blocked blocked) {
                return done(new Outcome.Blocked(t, from(replacing), new TransferEvent.Undeliverable(blocked.obstacle(), blocked.detail())));
            }
            return preflightAndPrice(t, calldata, ((DeliveryCheck.Verdict.Fits) verdict).gasLimit(), replacing);
        });
    }

    /**
     * One {@code eth_call} as a pre-flight: a message that would revert (already executed, bad signatures) costs nothing
     * here instead of a mined failure. Priced meanwhile.
     */
    private CompletionStage<Outcome> preflightAndPrice(Transfer t, String calldata, BigInteger gasLimit, Optional<Inflight> replacing) {
        CompletionStage<DestinationGateway.Preflight> preflight = TransferTracing.inTransfer(t.id().toHex(),
                () -> gateway.preflight(calldata, Optional.empty()));
        CompletionStage<FeePricer.Outcome> price = fees.price();
        return preflight.thenCompose(p -> p instanceof DestinationGateway.Preflight.Reverts reverts
                ? afterRevert(t, reverts.reason(), replacing)
                : price.thenApply(outcome -> outcome instanceof FeePricer.Priced priced
                        ? new Outcome.Ready(UnsignedDelivery.lone(t, calldata, gasLimit, priced.fees(), replacing))
                        : new Outcome.NotNow(t.id(), FeeQuotes.overCap((FeePricer.OverCap) outcome))));
    }

    /**
     * A pre-flight revert may mean the message was executed already ({@code execute} is permissionless). If not, a first
     * submission backs off; a replacement keeps its old handling (the next drop check tries again).
     */
    private CompletionStage<Outcome> afterRevert(Transfer t, String reason, Optional<Inflight> replacing) {
        return gateway.execution(t.message()).thenApply(execution -> {
            if (execution instanceof DestinationGateway.Execution.By by) {
                return new Outcome.ExecutedElsewhere(t, by.txHash(), by.nonce(), replacing);
            }
            if (execution instanceof DestinationGateway.Execution.OutOfSight out) {
                return nonceUsedByAnother(t, replacing, out.blocks());
            }
            return replacing.isEmpty() ? new Outcome.PreflightReverted(t, reason)
                    : new Outcome.NotNow(t.id(), "pre-flight reverted: " + reason);
        });
    }

    /**
     * The route's nonce is executed on the destination but no execution of this id is in sight: parked as
     * UNDELIVERABLE (never sent again: it would revert) with the reason, for an operator.
     */
    private Outcome.Blocked nonceUsedByAnother(Transfer t, Optional<Inflight> replacing, long lookback) {
        return new Outcome.Blocked(t, from(replacing), new TransferEvent.Undeliverable(DeliveryObstacle.NONCE_ALREADY_USED,
                "the gateway on " + w.chainName() + " has nonce " + t.message().nonce() + " of route " + t.route()
                        + " executed, but no execution of " + t.id() + " in the last " + lookback + " blocks: another message took "
                        + "the nonce (a source reorg past finality) or it was executed before the lookback"));
    }

    private static TransferStatus from(Optional<Inflight> replacing) {
        return replacing.isEmpty() ? TransferStatus.ATTESTED : TransferStatus.SUBMITTED;
    }

    static String haltedReason(Transfer t) {
        return "source chain " + t.message().srcChainId() + " is halted: not delivered until an operator resumes it";
    }

    private static CompletionStage<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
