package io.courier.relayer.submit;

import io.courier.chain.ChainRpcException;
import io.courier.chain.message.MessageId;
import java.util.Set;

/**
 * What persisting and broadcasting a first transaction ({@link TransactionSends.SendResult}) means for it and its nonce
 * (ADR 004: a nonce goes back only when nothing was recorded for it). Pure; the submitter carries it out.
 */
sealed interface BroadcastVerdict {

    /** Sent: followed to its receipt, except the transfers of a batch that had moved away ({@code notCarried}). */
    record Followed(Set<MessageId> notCarried) implements BroadcastVerdict {}

    /** Never sent: the transaction is forgotten and its nonce is {@code why} (handed out again, or left to recovery). */
    record NonceUnused(NonceManager.Unused why, String reason) implements BroadcastVerdict {}

    /** The node already has it: nothing to do. */
    record AlreadyKnown() implements BroadcastVerdict {}

    /** The node refused it for good: never sent again, its nonce filled, its transfers UNDELIVERABLE. */
    record RejectedForGood(String reason) implements BroadcastVerdict {}

    /** Persisted as SUBMITTED (or perhaps), not broadcast (a transient error, a nonce clash): the receipt poll sends it again. */
    record SendAgain(String reason) implements BroadcastVerdict {}

    static BroadcastVerdict of(TransactionSends.SendResult result) {
        if (result instanceof TransactionSends.SendResult.Sent sent) {
            return new Followed(sent.notCarried());
        }
        if (result instanceof TransactionSends.SendResult.NothingRecorded nothing) {
            return new NonceUnused(NonceManager.Unused.NOTHING_RECORDED,
                    "recording it failed, nonce given back: " + Submitter.rootMessage(nothing.cause()));
        }
        if (result instanceof TransactionSends.SendResult.NotPersisted notPersisted) {
            return new NonceUnused(NonceManager.Unused.RECORDED_NOT_SENT,
                    notPersisted.reason() + "; the nonce check adopts or fills the nonce");
        }
        Throwable cause = Submitter.unwrap(((TransactionSends.SendResult.NotSent) result).cause());
        if (cause instanceof ChainRpcException rpc && rpc.kind() == ChainRpcException.Kind.ALREADY_KNOWN) {
            return new AlreadyKnown();
        }
        if (cause instanceof ChainRpcException rpc && rpc.kind() == ChainRpcException.Kind.TX_REJECTED) {
            return new RejectedForGood(Submitter.rootMessage(rpc));
        }
        return new SendAgain("broadcast failed, will retry: " + cause);
    }
}
