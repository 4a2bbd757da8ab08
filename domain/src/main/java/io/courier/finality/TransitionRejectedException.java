package io.courier.finality;

import io.courier.chain.message.MessageId;

/**
 * An event that the state machine does not allow in a status was applied to a transfer: a bug in the caller
 * (it asked for a move the table forbids), never a race — races are reported as outcomes, not exceptions.
 */
public final class TransitionRejectedException extends IllegalStateException {

    private final transient MessageId messageId;
    private final TransferStatus from;
    private final transient TransferEvent event;

    public TransitionRejectedException(MessageId messageId, TransferStatus from, TransferEvent event, String reason) {
        super("transfer " + messageId + ": " + event.getClass().getSimpleName() + " rejected in " + from + ": " + reason);
        this.messageId = messageId;
        this.from = from;
        this.event = event;
    }

    public MessageId messageId() {
        return messageId;
    }

    public TransferStatus from() {
        return from;
    }

    public TransferEvent event() {
        return event;
    }
}
