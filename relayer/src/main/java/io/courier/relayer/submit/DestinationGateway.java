package io.courier.relayer.submit;

import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.Address;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the submitter asks of the destination chain's gateway contract, with typed answers: a port, so that the stages
 * read "reverts", "executed by" or "out of sight" rather than hex and exceptions ({@link ChainGateway} implements it
 * over a {@code ChainClient}). Every call is a read; nothing here signs or sends.
 */
interface DestinationGateway {

    /** The gateway's delivery status of a message ({@code Gateway.Status}; its values are append only). */
    enum Status {
        NONE, DELIVERED, FAILED;

        static Status of(int value) {
            if (value < 0 || value >= values().length) {
                throw new IllegalStateException("messageStatus answered " + value + ", not a Gateway.Status this node knows");
            }
            return values()[value];
        }
    }

    /** What a pre-flight {@code eth_call} of a transaction's calldata said. */
    sealed interface Preflight {

        /** It would not revert. */
        record Passes() implements Preflight {}

        /** It would revert, and why (the reason string, else the revert data, else the node's words). */
        record Reverts(String reason) implements Preflight {}
    }

    /** Whether a message was executed on the gateway, and by which transaction. */
    sealed interface Execution {

        /** The gateway has not executed it. */
        record NotExecuted() implements Execution {}

        /** Executed by {@code txHash}, sent at {@code nonce} by whoever sent it. */
        record By(TxHash txHash, long nonce) implements Execution {}

        /** The gateway has its route's nonce executed, but no execution of it in the last {@code blocks} blocks. */
        record OutOfSight(long blocks) implements Execution {}

        /** Executed by {@code txHash}, whose nonce the node does not know (yet): treated as not seen. */
        record Unidentified(TxHash txHash) implements Execution {}
    }

    Address address();

    /** The gas the gateway hands each recipient's {@code handle}. */
    CompletionStage<Long> handlerGasLimit();

    /** The validator set as the gateway stores it (its batched paths take it in calldata, ADR 008). */
    CompletionStage<GatewayCalldata.ValidatorSet> validatorSet();

    CompletionStage<Status> status(CrossChainMessage m);

    /**
     * Whether {@code m} was executed, and if so the transaction that did it: its own {@code MessageExecuted} or
     * {@code MessageDelivered}, or a {@code CheckpointExecuted} of its route whose range holds its nonce, searched back
     * from the head over a bounded range.
     */
    CompletionStage<Execution> execution(CrossChainMessage m);

    /** One {@code eth_call} of {@code calldata} from the signer (at {@code gasLimit} when given). Other RPC errors fail the stage. */
    CompletionStage<Preflight> preflight(String calldata, Optional<BigInteger> gasLimit);
}
