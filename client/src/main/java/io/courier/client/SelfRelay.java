package io.courier.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/transfers/{messageId}/attestation}: what to send to deliver an attested message oneself. Send
 * {@link #execute()} (or, for a FAILED message, {@link #retry()}) as a transaction with no value: {@code data} to
 * {@code to} on chain {@code chainId}, from any funded account.
 *
 * @param retry    null unless the transfer is FAILED
 * @param delivery null until the transfer has a destination transaction: what that transaction used, read back from
 *                 the destination chain by the node
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SelfRelay(String messageId, TransferStatus status, Destination destination, int threshold,
                        List<Signature> signatures, GatewayCall execute, GatewayCall retry, Delivery delivery) {

    public SelfRelay {
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
    }

    public Optional<GatewayCall> retryCall() {
        return Optional.ofNullable(retry);
    }

    public Optional<Delivery> deliveryUsed() {
        return Optional.ofNullable(delivery);
    }

    /**
     * The destination transaction as the chain holds it: {@code function} (execute, executeBatch, executeCheckpoint,
     * retry), the signatures it carried for this message with the address each recovers to, and for a checkpoint its
     * root, digest and this message's Merkle path. Only {@code tx} and {@code unavailable} when it could not be read.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Delivery(String tx, String function, List<CarriedSignature> signatures, Checkpoint checkpoint, String unavailable) {
        public Delivery {
            signatures = signatures == null ? List.of() : List.copyOf(signatures);
        }

        public Optional<Checkpoint> checkpointUsed() {
            return Optional.ofNullable(checkpoint);
        }
    }

    /** A signature a delivery carried, and the address it recovers to over its digest (null: none). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CarriedSignature(String signature, String signer) {}

    /**
     * A checkpoint delivery: nonces {@code firstNonce..lastNonce} under {@code root}, signed as {@code digest}. Fold the
     * message id through {@code proof} (parent = keccak256(left ‖ right)) to get {@code root}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Checkpoint(long firstNonce, long lastNonce, int messages, String root, String digest, int leafIndex,
                             List<MerkleStep> proof) {
        public Checkpoint {
            proof = proof == null ? List.of() : List.copyOf(proof);
        }
    }

    /** A sibling on the path to the root; {@code side} "left" means parent = keccak256(sibling ‖ node). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MerkleStep(String sibling, String side) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Destination(long chainId, String gateway) {}

    /** A validator's signature (r ‖ s ‖ v, hex) over the message for the destination gateway. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Signature(String validator, String signature) {}

    /** A gateway call: {@code function} ({@code execute} or {@code retry}) as {@code data} to {@code to} on {@code chainId}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GatewayCall(String function, long chainId, String to, String data) {}
}
