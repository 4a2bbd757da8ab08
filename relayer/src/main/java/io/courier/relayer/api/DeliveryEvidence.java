package io.courier.relayer.api;

import io.courier.chain.DeliveryCall;
import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.Address;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CheckpointProof;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.chain.message.ValidatorSignature;
import io.courier.finality.Transfer;
import io.courier.relayer.signing.ValidatorKeys;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a transfer's destination transaction used, read back from the chain's own record of it (the transaction's
 * input) rather than from what the node meant to send: the delivery path, the signatures it carried with the
 * validators they recover to, and for a checkpoint the range, its root, the digest the validators signed and this
 * message's Merkle path to the root (docs/adr/009-batched-delivery.md). With it anyone can check off chain that
 * the validators vouched for this message: fold the id through the path, compare with the root, recover the
 * signatures over the digest. Reading never fails the answer: what could not be read is said in {@code unavailable}.
 */
public final class DeliveryEvidence {

    /** The delivery: its transaction and what it carried for this message. */
    public record DeliveryView(String tx, String function, List<CarriedSignature> signatures, CheckpointView checkpoint,
                        String unavailable) {

        static DeliveryView unavailable(TxHash tx, String why) {
            return new DeliveryView(tx.toHex(), null, null, null, why);
        }
    }

    /** The checkpoint a delivery executed: range, root, the digest its signatures sign, and this message's path. */
    public record CheckpointView(long firstNonce, long lastNonce, int messages, String root, String digest, int leafIndex,
                          List<ProofStep> proof) {}

    /** A signature the transaction carried and the address it recovers to over its digest (absent: it recovers to none). */
    public record CarriedSignature(String signature, String signer) {}

    /** One sibling on the way from the message id to the root; {@code side} says where it sits ("left" or "right"). */
    public record ProofStep(String sibling, String side) {}

    private final TransactionInputs inputs;
    private final ValidatorKeys keys;

    DeliveryEvidence(TransactionInputs inputs, ValidatorKeys keys) {
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The evidence of {@code t}'s destination transaction {@code tx} on the gateway {@code gateway}. */
    CompletionStage<DeliveryView> of(Transfer t, TxHash tx, Address gateway) {
        long dst = t.message().dstChainId();
        return inputs.input(dst, tx).handle((input, error) -> {
            if (error != null) {
                Throwable cause = ProblemHandlers.unwrapped(error);
                return DeliveryView.unavailable(tx, "reading transaction " + tx + " on chain " + dst + " failed: " + cause.getMessage());
            }
            if (input.isEmpty()) {
                return DeliveryView.unavailable(tx, "chain " + dst + " knows no transaction " + tx + " (dropped or replaced)");
            }
            return view(t, tx, input.get(), gateway);
        });
    }

    private DeliveryView view(Transfer t, TxHash tx, String input, Address gateway) {
        long dst = t.message().dstChainId();
        Optional<DeliveryCall> call;
        try {
            call = DeliveryCall.decode(input, dst);
        } catch (IllegalArgumentException e) {
            return DeliveryView.unavailable(tx, e.getMessage());
        }
        if (call.isEmpty() || !call.get().delivers(t.id())) {
            return DeliveryView.unavailable(tx, "transaction " + tx + " is not a gateway call delivering " + t.id()
                    + " (a contract may have delivered it on someone's behalf)");
        }
        MessageId id = t.id();
        DeliveryCall c = call.get();
        if (c instanceof DeliveryCall.Checkpoint checkpoint) {
            return checkpoint(tx, checkpoint, id, gateway);
        }
        List<ValidatorSignature> carried;
        if (c instanceof DeliveryCall.Lone lone) {
            carried = lone.signatures();
        } else if (c instanceof DeliveryCall.Batch batch) {
            carried = batch.signed().stream().filter(s -> s.message().id().equals(id)).findFirst()
                    .map(GatewayCalldata.Signed::signatures).orElseThrow();
        } else {
            carried = List.of(); // retry: the gateway checked the signatures at the first execution
        }
        return new DeliveryView(tx.toHex(), c.function(), signatures(carried, s -> s.signer(keys.digest(id, dst, gateway.toHex()))),
                null, null);
    }

    private static DeliveryView checkpoint(TxHash tx, DeliveryCall.Checkpoint call, MessageId id, Address gateway) {
        List<MessageId> ids = call.range().stream().map(CrossChainMessage::id).toList();
        CrossChainMessage first = call.range().get(0);
        CheckpointDigest digest = CheckpointDigest.of(first.srcChainId(), first.srcGateway(), call.firstNonce(), call.lastNonce(),
                call.root(), first.dstChainId(), gateway.toHex());
        CheckpointProof proof = CheckpointProof.of(ids, ids.indexOf(id));
        CheckpointView view = new CheckpointView(call.firstNonce(), call.lastNonce(), ids.size(), call.root().toHex(), digest.toHex(),
                proof.leafIndex(), proof.steps().stream().map(s -> new ProofStep(s.sibling().toHex(),
                        s.side().name().toLowerCase(Locale.ROOT))).toList());
        return new DeliveryView(tx.toHex(), call.function(), signatures(call.signatures(), s -> s.signer(digest)), view, null);
    }

    /** Each signature with the address it recovers to over its digest (omitted when it recovers to none). */
    private static List<CarriedSignature> signatures(List<ValidatorSignature> signatures,
                                                                   Function<ValidatorSignature, String> signer) {
        return signatures.stream().map(s -> new CarriedSignature(s.toHex(), recovered(s, signer))).toList();
    }

    private static String recovered(ValidatorSignature s, Function<ValidatorSignature, String> signer) {
        try {
            return signer.apply(s).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
