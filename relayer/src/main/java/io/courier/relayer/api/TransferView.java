package io.courier.relayer.api;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transfer as the API shows it ({@code GET /v1/transfers/{messageId}}). Every member is described in
 * {@code openapi.yaml}; change both together. Absent values ({@code amount}, {@code destinationTxHash},
 * {@code failureReason}) are left out of the JSON.
 *
 * @param stages the time the transfer (last) entered each status it reached, keyed by the lowercase status name,
 *               in the order of {@link TransferStatus}
 */
public record TransferView(
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
        Links links,
        Payment payment) {

    private static final Logger LOG = LoggerFactory.getLogger(TransferView.class);

    /** Where the {@code MessageSent} log was seen. */
    public record Source(String txHash, long blockNumber, String blockHash, int logIndex) {
        static Source of(SourceRef ref) {
            return new Source(ref.txHash().toHex(), ref.blockNumber(), ref.blockHash().toHex(), ref.logIndex());
        }
    }

    /** Source confirmations last recorded, and how many the chain's finality policy requires. */
    public record Confirmations(long seen, int required) {}

    /** Related resources. */
    public record Links(String self, String history, String events) {}

    /**
     * What the message paid for its destination gas and what it owes (issue 11), on {@code GET /v1/transfers/{id}} only.
     * Amounts are decimal strings of wei of the source chain's native token. {@code paid}: its final {@code GasPaid}
     * payments on the source gateway; {@code required}: the quote fixed when its block became final (absent before, and
     * for a sponsored route); {@code missing}: what pays that quote in full (0 once paid or sponsored; absent before
     * finality); {@code topUp}: how anyone may pay more.
     */
    public record Payment(String policy, String paid, String required, String missing, TopUp topUp) {}

    /** Call {@code function} ({@code payForGas(bytes32)}) with {@code messageId} on {@code gateway} of chain {@code chainId}, with value. */
    public record TopUp(long chainId, String gateway, String function, String calldata) {}

    /** This view with {@code payment} (the single-transfer read adds it). */
    public TransferView withPayment(Payment payment) {
        return new TransferView(messageId, status, sourceChainId, destinationChainId, sourceGateway, sender, recipient, nonce,
                payloadHash, payloadSize, amount, source, confirmations, destinationTxHash, failureReason, stages, createdAt,
                updatedAt, links, payment);
    }

    /** {@code { "transfers": [...] }}. */
    public record ListView(List<TransferView> transfers) {}

    /** {@code GET /v1/transfers?address=…}: a page, newest first; {@code next} continues it (absent at the end). */
    public record PageView(List<TransferView> transfers, String next) {}

    /** {@code GET /v1/transfers/{messageId}/history}: the status changes, oldest first. */
    public record HistoryView(String messageId, List<HistoryEntry> history) {}

    /** One status change; {@code from} is absent on the first entry (the observation). */
    public record HistoryEntry(Instant at, TransferStatus from, TransferStatus to, String cause) {
        static HistoryEntry of(TransferHistoryEntry entry) {
            return new HistoryEntry(entry.at(), entry.from(), entry.to(), entry.cause());
        }
    }

    /** The path of the transfer {@code messageIdHex} ({@code 0x} + 64 lowercase hex digits). */
    public static String selfPath(String messageIdHex) {
        return "/v1/transfers/" + messageIdHex;
    }

    /** The describer's amount; a describer that throws is a bug logged here, not a failed request. */
    private static String amount(PayloadDescriber payloads, CrossChainMessage message) {
        try {
            return payloads.amount(message).map(BigInteger::toString).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("payload describer {} failed on message {}; amount left out", payloads, message.id(), e);
            return null;
        }
    }

    /**
     * The transfer as it was right after {@code history.get(index)}, for the events stream's earlier steps: status,
     * update time and stage times from the history up to that entry; the destination transaction and the failure
     * reason only from the statuses that have them; everything else (the message, source, confirmations) as read
     * now. The last entry is the transfer as read ({@link #of}) when the transfer is in that entry's status.
     */
    static TransferView asOf(Transfer transfer, List<TransferHistoryEntry> history, int index, PayloadDescriber payloads) {
        TransferView now = of(transfer, payloads);
        TransferHistoryEntry entry = history.get(index);
        // the history is read after the transfer, so it may be a step ahead of it: then its last entry is rewound too
        if (index == history.size() - 1 && entry.to() == transfer.status()) {
            return now;
        }
        Map<TransferStatus, Instant> times = new java.util.EnumMap<>(TransferStatus.class);
        for (int i = 0; i <= index; i++) {
            TransferHistoryEntry e = history.get(i);
            // a fee bump (SUBMITTED -> SUBMITTED) and a relocation keep the stage's first time, as Transfer.next does
            boolean relocation = e.to() == TransferStatus.SENT && e.from() != null;
            if (e.from() != e.to() && !relocation) {
                times.put(e.to(), e.at());
            }
        }
        LinkedHashMap<String, Instant> stages = new LinkedHashMap<>();
        times.forEach((status, at) -> stages.put(status.name().toLowerCase(Locale.ROOT), at));
        TransferStatus status = entry.to();
        boolean hasDestinationTx = status == TransferStatus.SUBMITTED || status == TransferStatus.DELIVERED
                || status == TransferStatus.FAILED || status == TransferStatus.UNDELIVERABLE;
        boolean hasFailure = status == TransferStatus.FAILED || status == TransferStatus.UNDELIVERABLE;
        return new TransferView(now.messageId(), status, now.sourceChainId(), now.destinationChainId(), now.sourceGateway(),
                now.sender(), now.recipient(), now.nonce(), now.payloadHash(), now.payloadSize(), now.amount(), now.source(),
                now.confirmations(), hasDestinationTx ? now.destinationTxHash() : null, hasFailure ? now.failureReason() : null,
                stages, now.createdAt(), entry.at(), now.links(), null);
    }

    public static TransferView of(Transfer transfer, PayloadDescriber payloads) {
        CrossChainMessage message = transfer.message();
        String id = transfer.id().toHex();
        LinkedHashMap<String, Instant> stages = new LinkedHashMap<>();
        for (TransferStatus status : TransferStatus.values()) {
            transfer.stageTime(status).ifPresent(at -> stages.put(status.name().toLowerCase(Locale.ROOT), at));
        }
        String amount = amount(payloads, message);
        String self = selfPath(id);
        return new TransferView(
                id,
                transfer.status(),
                message.srcChainId(),
                message.dstChainId(),
                message.srcGateway(),
                message.sender(),
                message.recipient(),
                message.nonce(),
                message.payloadHash().toHex(),
                message.payloadLength(),
                amount,
                Source.of(transfer.source()),
                new Confirmations(transfer.confirmationsSeen(), transfer.confirmationsRequired()),
                transfer.destinationTx().map(TxHash::toHex).orElse(null),
                transfer.failureReason(),
                stages,
                transfer.createdAt(),
                transfer.updatedAt(),
                new Links(self, self + "/history", self + "/events"),
                null);
    }
}
