package io.courier.chain.message;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns validators' signatures into the {@code signatures} argument of {@code Gateway.execute}: the contract
 * wants each signer once, signers strictly ascending by address, at least {@code threshold} of them, all
 * validators. Signatures gathered from peers are checked here by recovering their signer (ecrecover) first.
 */
public final class Attestations {

    /** A signature with the address it recovers to for one digest. */
    public record SignedBy(String signer, ValidatorSignature signature) {}

    /** Ascending numeric address order, the order the contract checks ({@code signer > previous}). */
    public static final Comparator<String> ADDRESS_ORDER = Comparator.comparing(Attestations::addressValue);

    private Attestations() {}

    /** Recovers the signer of each signature for {@code digest}, keeping the input order. */
    public static List<SignedBy> recover(AttestationDigest digest, Collection<ValidatorSignature> signatures) {
        List<SignedBy> result = new ArrayList<>(signatures.size());
        for (ValidatorSignature signature : signatures) {
            result.add(new SignedBy(signature.signer(digest), signature));
        }
        return result;
    }

    /**
     * Orders {@code signatures} by signer address ascending.
     *
     * @throws IllegalArgumentException if two signatures recover to the same signer (the contract would revert
     *     with {@code DuplicateSigner})
     */
    public static List<ValidatorSignature> orderBySigner(AttestationDigest digest, Collection<ValidatorSignature> signatures) {
        List<SignedBy> signed = recover(digest, signatures);
        signed.sort(Comparator.comparing(SignedBy::signer, ADDRESS_ORDER));
        for (int i = 1; i < signed.size(); i++) {
            if (signed.get(i).signer().equals(signed.get(i - 1).signer())) {
                throw new IllegalArgumentException("two signatures by " + signed.get(i).signer() + " for digest " + digest);
            }
        }
        return signed.stream().map(SignedBy::signature).toList();
    }

    /**
     * Picks exactly {@code threshold} signatures for {@code message} on {@code dstGateway}, ordered as the contract
     * requires. Signatures by non-validators (including any made for another message, gateway or chain) and repeat
     * signatures of the same validator are left out; the lowest signers are taken.
     *
     * @param validators the destination gateway's validator set (any address form)
     * @throws IllegalStateException if fewer than {@code threshold} distinct validators signed
     */
    public static List<ValidatorSignature> forSubmission(CrossChainMessage message, String dstGateway,
            Collection<ValidatorSignature> signatures, Collection<String> validators, int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1, was " + threshold);
        }
        AttestationDigest digest = AttestationDigest.of(message, dstGateway);
        Set<String> validatorSet = new HashSet<>();
        for (String validator : validators) {
            validatorSet.add(EvmAddress.normalize("validator", validator));
        }
        Map<String, ValidatorSignature> bySigner = new LinkedHashMap<>();
        for (SignedBy signed : recover(digest, signatures)) {
            if (validatorSet.contains(signed.signer())) {
                bySigner.putIfAbsent(signed.signer(), signed.signature());
            }
        }
        if (bySigner.size() < threshold) {
            throw new IllegalStateException("message " + message.id() + " (" + message.srcChainId() + "->" + message.dstChainId()
                    + ", nonce " + message.nonce() + ") has " + bySigner.size() + " distinct validator signature(s) for gateway "
                    + dstGateway + ", threshold is " + threshold);
        }
        return bySigner.keySet().stream()
                .sorted(ADDRESS_ORDER)
                .limit(threshold)
                .map(bySigner::get)
                .toList();
    }

    /** The 65-byte encodings, in order, as {@code bytes[]} for the contract call. */
    public static List<byte[]> encode(List<ValidatorSignature> signatures) {
        return signatures.stream().map(ValidatorSignature::bytes).toList();
    }

    private static BigInteger addressValue(String address) {
        return new BigInteger(1, EvmAddress.bytes("signer", address));
    }
}
