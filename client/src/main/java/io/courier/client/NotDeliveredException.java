package io.courier.client;

/**
 * {@link CourierClient#awaitDelivered} saw the transfer reach a status from which it will not be delivered without
 * someone acting: REORGED (never), FAILED or UNDELIVERABLE (until an operator retries it, or someone self-relays).
 */
public class NotDeliveredException extends RuntimeException {

    private final Transfer transfer;

    public NotDeliveredException(Transfer transfer) {
        super("transfer " + transfer.messageId() + " is " + transfer.status()
                + (transfer.failureReason() == null ? "" : ": " + transfer.failureReason()));
        this.transfer = transfer;
    }

    public Transfer transfer() {
        return transfer;
    }
}
