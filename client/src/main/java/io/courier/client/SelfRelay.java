package io.courier.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/transfers/{messageId}/attestation}: what to send to deliver an attested message oneself. Send
 * {@link #execute()} (or, for a FAILED message, {@link #retry()}) as a transaction with no value: {@code data} to
 * {@code to} on chain {@code chainId}, from any funded account.
 *
 * @param retry null unless the transfer is FAILED
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SelfRelay(String messageId, TransferStatus status, Destination destination, int threshold,
                        List<Signature> signatures, GatewayCall execute, GatewayCall retry) {

    public SelfRelay {
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
    }

    public Optional<GatewayCall> retryCall() {
        return Optional.ofNullable(retry);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Destination(long chainId, String gateway) {}

    /** A validator's signature (r ‖ s ‖ v, hex) over the message for the destination gateway. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Signature(String validator, String signature) {}

    /** A gateway call: {@code function} ({@code execute} or {@code retry}) as {@code data} to {@code to} on {@code chainId}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GatewayCall(String function, long chainId, String to, String data) {}
}
