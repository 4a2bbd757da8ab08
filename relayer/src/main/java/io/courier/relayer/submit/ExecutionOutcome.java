package io.courier.relayer.submit;

import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/** What a mined execute transaction did for one message, read from its receipt. */
public sealed interface ExecutionOutcome {

    /** The recipient handled the message. */
    record Delivered() implements ExecutionOutcome {}

    /** The gateway executed the message but the recipient reverted (the gateway recorded it as Failed). */
    record RecipientReverted(String revertData) implements ExecutionOutcome {}

    /** The transaction itself reverted: the message was not executed. */
    record TransactionReverted(String reason) implements ExecutionOutcome {}

    /** The outcome for {@code message} (by its id, and by its nonce for a checkpoint) in a receipt of {@code gateway}. */
    static ExecutionOutcome of(TxReceipt receipt, CrossChainMessage message, Address gateway) {
        MessageId id = message.id();
        if (!receipt.succeeded()) {
            return new TransactionReverted(receipt.revertReasonIfGiven().orElse("execute reverted (gas used " + receipt.gasUsed() + ")"));
        }
        Optional<ChainLog> executed = GatewayEvents.find(receipt.logs(), gateway, GatewayEvents.MESSAGE_EXECUTED_TOPIC, id);
        if (executed.isEmpty()) {
            // executeBatch announces a success with the lean MessageDelivered; a checkpoint with one CheckpointExecuted
            // for its range, failures having their own MessageExecuted (ADR 008)
            boolean delivered = GatewayEvents.find(receipt.logs(), gateway, GatewayEvents.MESSAGE_DELIVERED_TOPIC, id).isPresent()
                    || receipt.logs().stream().anyMatch(l -> GatewayEvents.checkpointCovers(l, gateway, message));
            return delivered ? new Delivered()
                    : new TransactionReverted("receipt has no MessageExecuted, MessageDelivered or CheckpointExecuted for " + id);
        }
        @SuppressWarnings("rawtypes")
        List<Type> values = FunctionReturnDecoder.decode(executed.get().data(), GatewayEvents.MESSAGE_EXECUTED.getNonIndexedParameters());
        boolean success = ((Bool) values.get(1)).getValue();
        return success ? new Delivered() : new RecipientReverted(Numeric.toHexString(((DynamicBytes) values.get(2)).getValue()));
    }
}
