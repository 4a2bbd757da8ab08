package io.courier.finality;

import io.courier.chain.message.EvmAddress;

import io.courier.chain.message.Hex;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import java.time.Instant;
import java.util.Objects;

/**
 * One validator's signature over a message id: {@code validator} is the signer's address, {@code signature} the
 * 65-byte {@code r || s || v} ECDSA signature as {@code 0x} hex. The shape is checked here (it must parse as a
 * {@link ValidatorSignature}: low s, v 27/28); whether the validator really signed it is checked by the attester
 * (ecrecover against the validator set) before anything is stored.
 */
public record Attestation(MessageId messageId, String validator, String signature, Instant signedAt) {

    public Attestation {
        Objects.requireNonNull(messageId, "messageId");
        validator = EvmAddress.normalize("attestation of " + messageId + ": validator", validator);
        signature = Hex.fixed("attestation of " + messageId + " by " + validator + ": signature", signature,
                ValidatorSignature.LENGTH);
        try {
            ValidatorSignature.fromHex(signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attestation of " + messageId + " by " + validator + ": " + e.getMessage(), e);
        }
        Objects.requireNonNull(signedAt, "signedAt");
    }

    public static Attestation of(MessageId messageId, String validator, ValidatorSignature signature, Instant signedAt) {
        return new Attestation(messageId, validator, signature.toHex(), signedAt);
    }

    public ValidatorSignature validatorSignature() {
        return ValidatorSignature.fromHex(signature);
    }
}
