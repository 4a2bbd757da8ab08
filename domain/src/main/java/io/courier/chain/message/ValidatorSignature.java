package io.courier.chain.message;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Objects;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * One validator's signature over an {@link AttestationDigest}, in the only form {@code Gateway.execute} accepts:
 * 65 bytes r ‖ s ‖ v with v = 27 or 28 and s in the lower half of the curve order (low s). Instances are always
 * in that form: a high-s or otherwise malformed signature cannot be constructed, so one received from a peer
 * is rejected when it is parsed, not when the destination reverts.
 *
 * @param r the signature's r, 0 < r < n
 * @param s the signature's s, 0 < s ≤ n/2
 * @param v the recovery id plus 27 (27 or 28)
 */
public record ValidatorSignature(Bytes32 r, Bytes32 s, int v) {

    public static final int LENGTH = 65;
    /** secp256k1 group order n. */
    public static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();
    /** n / 2: the largest s {@code Gateway.execute} accepts. */
    public static final BigInteger HALF_CURVE_ORDER = CURVE_ORDER.shiftRight(1);

    public ValidatorSignature {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(s, "s");
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("signature v must be 27 or 28, was " + v);
        }
        BigInteger rValue = Numeric.toBigInt(r.bytes());
        BigInteger sValue = Numeric.toBigInt(s.bytes());
        if (rValue.signum() == 0 || rValue.compareTo(CURVE_ORDER) >= 0) {
            throw new IllegalArgumentException("signature r is out of range (0, n): " + r);
        }
        if (sValue.signum() == 0) {
            throw new IllegalArgumentException("signature s is zero");
        }
        if (sValue.compareTo(HALF_CURVE_ORDER) > 0) {
            throw new IllegalArgumentException("signature s is in the upper half of the curve order (malleable high-s form, "
                    + "the gateway rejects it): " + s);
        }
    }

    /**
     * Signs {@code digest} (already the final EIP-712 hash: no prefix, no further hashing). Web3j signs with
     * RFC 6979 deterministic nonces and returns the canonical low-s form with v = 27/28.
     */
    public static ValidatorSignature sign(AttestationDigest digest, ECKeyPair key) {
        return signDigest(digest.bytes(), key);
    }

    /** Signs a checkpoint's digest, as {@link #sign(AttestationDigest, ECKeyPair)} signs a message's. */
    public static ValidatorSignature sign(CheckpointDigest digest, ECKeyPair key) {
        return signDigest(digest.bytes(), key);
    }

    private static ValidatorSignature signDigest(byte[] digest, ECKeyPair key) {
        Objects.requireNonNull(key, "validator key");
        Sign.SignatureData data = Sign.signMessage(digest, key, false);
        return new ValidatorSignature(Bytes32.of(data.getR()), Bytes32.of(data.getS()), Byte.toUnsignedInt(data.getV()[0]));
    }

    /** Parses the 65-byte r ‖ s ‖ v form. */
    public static ValidatorSignature fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a signature is 65 bytes (r, s, v), got " + (bytes == null ? "null" : bytes.length));
        }
        byte[] r = new byte[Bytes32.SIZE];
        byte[] s = new byte[Bytes32.SIZE];
        System.arraycopy(bytes, 0, r, 0, Bytes32.SIZE);
        System.arraycopy(bytes, Bytes32.SIZE, s, 0, Bytes32.SIZE);
        return new ValidatorSignature(Bytes32.of(r), Bytes32.of(s), Byte.toUnsignedInt(bytes[LENGTH - 1]));
    }

    /** Parses {@code 0x} + 130 hex digits. */
    public static ValidatorSignature fromHex(String hex) {
        return fromBytes(Hex.parse("signature", hex, LENGTH));
    }

    /** r ‖ s ‖ v, 65 bytes: one element of {@code Gateway.execute}'s {@code signatures}. */
    public byte[] bytes() {
        byte[] out = new byte[LENGTH];
        r.writeTo(out, 0);
        s.writeTo(out, Bytes32.SIZE);
        out[LENGTH - 1] = (byte) v;
        return out;
    }

    public String toHex() {
        return Hex.format(bytes());
    }

    /**
     * The address that signed {@code digest}, lowercase, as the contract's {@code ecrecover} finds it. A signature
     * made over another digest (another message, gateway or chain) recovers to an unrelated address, not to an
     * error: compare the result with the validator set.
     *
     * @throws IllegalArgumentException when no public key recovers from it (the contract's {@code InvalidSignature})
     */
    public String signer(AttestationDigest digest) {
        return signerOf(digest.bytes(), digest.toHex());
    }

    /** The address that signed a checkpoint's digest; see {@link #signer(AttestationDigest)}. */
    public String signer(CheckpointDigest digest) {
        return signerOf(digest.bytes(), digest.toHex());
    }

    private String signerOf(byte[] digestBytes, String digest) {
        Sign.SignatureData data = new Sign.SignatureData((byte) v, r.bytes(), s.bytes());
        try {
            BigInteger publicKey = Sign.signedMessageHashToKey(digestBytes, data);
            return "0x" + Keys.getAddress(publicKey);
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("signature " + toHex() + " recovers no signer for digest " + digest + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return toHex();
    }
}
