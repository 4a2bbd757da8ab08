package io.courier.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A transfer as {@code GET /v1/transfers/{messageId}} answers it. Members a newer node adds are ignored.
 *
 * @param amount            base units of a token-bridge transfer, decimal; null when the node cannot read the payload
 * @param destinationTxHash null before SUBMITTED
 * @param failureReason     null unless FAILED or UNDELIVERABLE
 * @param stages            when the transfer (last) entered each status it reached, keyed by lowercase status name
 * @param payment           what it paid and owes for delivery; null from a node that does not record payments
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Transfer(
        String messageId,
        TransferStatus status,
        long sourceChainId,
        long destinationChainId,
        String sourceGateway,
        String sender,
        String recipient,
        long nonce,
        String payloadHash,
        int payloadSize,
        String amount,
        Source source,
        Confirmations confirmations,
        String destinationTxHash,
        String failureReason,
        Map<String, Instant> stages,
        Instant createdAt,
        Instant updatedAt,
        Payment payment) {

    public Transfer {
        stages = stages == null ? Map.of() : Map.copyOf(stages);
    }

    /** Where the {@code MessageSent} log was seen. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String txHash, long blockNumber, String blockHash, int logIndex) {}

    /** Source confirmations last recorded, and how many the source chain's finality policy requires. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Confirmations(long seen, int required) {}

    /**
     * What the message paid for its destination gas (wei of the source chain's native token, decimal strings) and owes:
     * {@code required} is the quote fixed at finality and {@code missing} what a top-up must add (both null before
     * finality on a required route); {@code policy} is {@code required} or {@code sponsored}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Payment(String policy, String paid, String required, String missing, TopUp topUp) {}

    /** Anyone may top the message up: {@code function} ({@code payForGas(bytes32)}) on {@code gateway} of {@code chainId}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TopUp(long chainId, String gateway, String function, String calldata) {}

    public Optional<Payment> paymentInfo() {
        return Optional.ofNullable(payment);
    }

    public Optional<String> amountValue() {
        return Optional.ofNullable(amount);
    }

    public Optional<String> destinationTx() {
        return Optional.ofNullable(destinationTxHash);
    }

    /** When the transfer entered {@code status}, if it did. */
    public Optional<Instant> stage(TransferStatus status) {
        return Optional.ofNullable(stages.get(status.name().toLowerCase(java.util.Locale.ROOT)));
    }
}
