package io.courier.relayer.submit;

import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import io.courier.delivery.Delivery;
import io.courier.delivery.DeliveryGas;
import io.courier.delivery.DeliveryPlanner;
import io.courier.fees.FeePricer;
import io.courier.fees.Fees;
import io.courier.finality.Attestation;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The preparation stage of batched delivery (docs/adr/009-batched-delivery.md): load what is queued, then turn one
 * planned {@link Delivery} of several messages into a transaction ready to sign, or say why it cannot go. It reads
 * the stores, the chain and the validators but holds no state; the submitter actor runs it off its thread and acts on
 * the typed {@link Outcome}.
 */
final class BatchPreparation {

    /** An ATTESTED transfer and exactly {@code threshold} valid signatures over it, ordered by signer. */
    record Candidate(Transfer transfer, List<ValidatorSignature> signatures) {}

    /** A queued message that cannot be planned now, and why (it stays as it is; the sweep brings it back). */
    record Refusal(MessageId id, String reason) {}

    /** The queued messages of a planning round: those ready with their signatures, and those refused. */
    record Loaded(List<Candidate> ready, List<Refusal> refused) {}

    /** What became of preparing one multi-message delivery. */
    sealed interface Outcome {
        List<MessageId> ids();

        /** Ready to sign: {@code transfers} in nonce order, carried by {@code path} (checkpoint or batch). */
        record Ready(List<Transfer> transfers, String path, String calldata, BigInteger gasLimit, Fees fees) implements Outcome {
            @Override
            public List<MessageId> ids() {
                return transfers.stream().map(Transfer::id).toList();
            }
        }

        /** Cannot go together (its pre-flight reverted, or it needs more than the cap): each goes again alone. */
        record Split(List<MessageId> ids, String reason) implements Outcome {}

        /** Not now, for a passing reason (the market above the cap): the messages wait for the next sweep. */
        record Postponed(List<MessageId> ids, String reason) implements Outcome {}
    }

    /** A delivery of the plan with the candidates it carries, in its order. */
    record Planned(Delivery delivery, List<Candidate> members) {
        List<MessageId> ids() {
            return members.stream().map(c -> c.transfer().id()).toList();
        }
    }

    /**
     * The gas model of a planning round: the gateway's 63/64 guard wants {@code handlerGasLimit} plus a reserve left
     * before its last handler call, paid in the limit, not in gas used.
     */
    static DeliveryGas gas(GatewayCalldata.ValidatorSet set, long handlerGasLimit, long handlerGasEstimate) {
        long reserve = (handlerGasLimit + ExecuteGasLimit.HANDLER_RESERVE) * 64 / 63 + 1;
        return new DeliveryGas(set.threshold(), set.validators().size(), handlerGasEstimate, reserve);
    }

    /** The deliveries of a round's ready messages ({@link DeliveryPlanner}); those in {@code alone} go on their own. */
    static List<Planned> plan(List<Candidate> ready, Set<MessageId> alone, DeliveryPlanner.Limits limits, DeliveryGas gas) {
        Map<MessageId, Candidate> byId = new HashMap<>();
        ready.forEach(r -> byId.put(r.transfer().id(), r));
        return DeliveryPlanner.plan(ready.stream().map(r -> r.transfer().message()).toList(), alone, limits, gas).stream()
                .map(d -> new Planned(d, d.messages().stream().map(m -> byId.get(m.id())).toList())).toList();
    }

    private final Submitter.Wiring w;
    private final DestinationGateway gateway;
    private final FeeQuotes fees;

    BatchPreparation(Submitter.Wiring wiring, DestinationGateway gateway, FeeQuotes fees) {
        this.w = wiring;
        this.gateway = gateway;
        this.fees = fees;
    }

    /** Each id's transfer (still ATTESTED, source not halted) and exactly threshold valid signatures. */
    CompletionStage<Loaded> load(List<MessageId> ids) {
        List<Candidate> ready = Collections.synchronizedList(new ArrayList<>());
        List<Refusal> refused = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<?>[] reads = ids.stream().map(id -> w.transfers().find(id).thenCompose(found -> {
            if (found.isEmpty() || found.get().status() != TransferStatus.ATTESTED) {
                refused.add(new Refusal(id, "not ATTESTED any more: " + found.map(t -> t.status().name()).orElse("unknown")));
                return CompletableFuture.completedFuture(null);
            }
            Transfer t = found.get();
            if (w.halted().isHalted(t.message().srcChainId())) {
                refused.add(new Refusal(id, "source chain " + t.message().srcChainId() + " is halted: not delivered until an operator resumes it"));
                return CompletableFuture.completedFuture(null);
            }
            return w.attestations().list(id).thenAccept(all -> {
                Optional<List<ValidatorSignature>> signatures = thresholdSignatures(t, all);
                if (signatures.isEmpty()) {
                    refused.add(new Refusal(id, "fewer than " + w.keys().threshold() + " valid signatures"));
                } else {
                    ready.add(new Candidate(t, signatures.get()));
                }
            });
        }).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(reads).thenApply(x -> new Loaded(List.copyOf(ready), List.copyOf(refused)));
    }

    /** Exactly threshold valid signatures over the transfer (each extra one costs gas), ordered by signer as the gateway checks. */
    private Optional<List<ValidatorSignature>> thresholdSignatures(Transfer t, List<Attestation> all) {
        List<Attestation> chosen = w.keys().forExecute(w.keys().digest(t.id(), t.message().dstChainId(), w.gateway().toHex()), all);
        return chosen.size() < w.keys().threshold() ? Optional.empty()
                : Optional.of(chosen.stream().map(a -> ValidatorSignature.fromHex(a.signature())).toList());
    }

    /**
     * Calldata for the delivery (a checkpoint when enough validators sign its root, else per-message signatures), its gas
     * limit (twice the planner's model, within the cap: unused gas is not charged), a pre-flight {@code eth_call} at that
     * limit — a batch that would run out of gas or revert costs nothing here — and the price. ({@code eth_estimateGas}
     * would search for the limit by running the batch many times: seconds on a loaded node for a large batch.)
     */
    CompletionStage<Outcome> prepare(Delivery d, List<Candidate> members, GatewayCalldata.ValidatorSet set, DeliveryGas gas) {
        List<MessageId> ids = members.stream().map(r -> r.transfer().id()).toList();
        List<CrossChainMessage> messages = d.messages();
        String perMessage = GatewayCalldata.executeBatch(set, members.stream()
                .map(r -> new GatewayCalldata.Signed(r.transfer().message(), r.signatures())).toList());
        CompletionStage<Optional<String>> checkpoint = d instanceof Delivery.Checkpoint
                ? w.checkpoints().sign(messages, w.gateway().toHex()).handle((sigs, e) -> sigs != null && sigs.size() >= set.threshold()
                        ? Optional.of(GatewayCalldata.executeCheckpoint(messages, CheckpointRoot.ofMessages(messages), set,
                                sigs.subList(0, set.threshold())))
                        : Optional.<String>empty())
                : CompletableFuture.completedFuture(Optional.empty());
        return checkpoint.thenCompose(signed -> {
            // too few validators signed the root: the same messages with each one's own signatures
            String path = signed.isPresent() ? "checkpoint" : "batch";
            String data = signed.orElse(perMessage);
            int bytes = (data.length() - 2) / 2;
            if (bytes > DeliveryCheck.MAX_CALLDATA_BYTES) {
                return CompletableFuture.<Outcome>completedFuture(new Outcome.Split(ids, "calldata of " + bytes + " bytes"));
            }
            long model = signed.isPresent() ? gas.checkpoint(messages) : gas.batch(messages);
            BigInteger limit = BigInteger.valueOf(Math.min(w.settings().maxGasLimit(), 2 * model));
            List<Transfer> transfers = members.stream().map(Candidate::transfer).toList();
            return gateway.preflight(data, Optional.of(limit)).thenCompose(preflight -> preflight instanceof DestinationGateway.Preflight.Reverts r
                    ? CompletableFuture.<Outcome>completedFuture(new Outcome.Split(ids, "pre-flight with gas limit " + limit + " reverted: "
                            + r.reason()))
                    : fees.price().thenApply(outcome -> outcome instanceof FeePricer.Priced p
                            ? (Outcome) new Outcome.Ready(transfers, path, data, limit, p.fees())
                            : new Outcome.Postponed(ids, FeeQuotes.overCap((FeePricer.OverCap) outcome))));
        });
    }
}
