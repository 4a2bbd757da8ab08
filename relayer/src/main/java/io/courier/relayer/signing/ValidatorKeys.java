package io.courier.relayer.signing;

import io.courier.chain.message.Address;
import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import io.courier.finality.Attestation;
import io.courier.relayer.config.NodeConfig.Secret;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * This node's validator keys and the configured validator set. Keys never leave this object; only addresses
 * and signatures do.
 */
public final class ValidatorKeys {

    private final List<ECKeyPair> keys;
    private final List<String> addresses;
    private final Set<String> validatorSet;
    private final int threshold;

    public ValidatorKeys(List<Secret> secrets, List<String> validatorSet, int threshold) {
        this.keys = secrets.stream().map(s -> ECKeyPair.create(new BigInteger(s.hex(), 16))).toList();
        this.addresses = keys.stream().map(k -> Address.of(k).toHex()).toList();
        this.validatorSet = new HashSet<>();
        validatorSet.forEach(v -> this.validatorSet.add(v.toLowerCase(Locale.ROOT)));
        this.threshold = threshold;
        for (int i = 0; i < addresses.size(); i++) {
            if (!this.validatorSet.contains(addresses.get(i))) {
                throw new IllegalArgumentException("validator key " + secrets.get(i).source() + " (address "
                        + addresses.get(i) + ") is not in the configured validator set");
            }
        }
    }

    public int size() {
        return keys.size();
    }

    public List<String> addresses() {
        return addresses;
    }

    public Set<String> validatorSet() {
        return validatorSet;
    }

    public int threshold() {
        return threshold;
    }

    public AttestationDigest digest(MessageId id, long dstChainId, String dstGateway) {
        return AttestationDigest.of(id, dstChainId, dstGateway);
    }

    /** Signatures of every local key over the digest. */
    public List<Attestation> sign(MessageId id, AttestationDigest digest, Instant at) {
        List<Attestation> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            out.add(new Attestation(id, addresses.get(i), ValidatorSignature.sign(digest, keys.get(i)).toHex(), at));
        }
        return out;
    }

    /**
     * Signatures over a checkpoint by the local keys among {@code signers} (addresses, lower case), in ascending
     * address order as the gateway checks them. The caller decides who may sign: a key signs a range only when it
     * attested every message of it (the attester checks).
     */
    public List<ValidatorSignature> signCheckpoint(CheckpointDigest digest, Set<String> signers) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (signers.contains(addresses.get(i))) {
                order.add(i);
            }
        }
        order.sort(java.util.Comparator.comparing(addresses::get));
        return order.stream().map(i -> ValidatorSignature.sign(digest, keys.get(i))).toList();
    }

    /** Signatures that recover to their claimed validator, who is in the set; one per validator. */
    public List<Attestation> valid(AttestationDigest digest, List<Attestation> attestations) {
        Set<String> seen = new HashSet<>();
        List<Attestation> valid = new ArrayList<>();
        for (Attestation a : attestations) {
            String claimed = a.validator().toLowerCase(Locale.ROOT);
            if (!validatorSet.contains(claimed) || seen.contains(claimed)) {
                continue;
            }
            String recovered;
            try {
                recovered = ValidatorSignature.fromHex(a.signature()).signer(digest);
            } catch (RuntimeException malformed) {
                continue;
            }
            if (claimed.equalsIgnoreCase(recovered)) {
                seen.add(claimed);
                valid.add(a);
            }
        }
        return valid;
    }

    /**
     * The signatures an {@code execute} of the destination gateway takes: exactly {@link #threshold()} of the
     * {@link #valid} ones (each extra one costs gas), ordered by signer address ascending as the gateway checks them.
     * Fewer than the threshold when fewer are valid: the caller tells that apart by the size. One home for the
     * submitter and for the API's self-relay answer ({@code GET /v1/transfers/{id}/attestation}).
     */
    public List<Attestation> forExecute(AttestationDigest digest, List<Attestation> attestations) {
        List<Attestation> valid = new ArrayList<>(valid(digest, attestations));
        valid.sort(java.util.Comparator.comparing(a -> a.validator().toLowerCase(Locale.ROOT)));
        return List.copyOf(valid.subList(0, Math.min(threshold, valid.size())));
    }

    public int countValid(AttestationDigest digest, List<Attestation> attestations) {
        return valid(digest, attestations).size();
    }
}
