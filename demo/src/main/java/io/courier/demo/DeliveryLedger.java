package io.courier.demo;

import io.courier.chain.GatewayEvents;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The destination transactions that delivered the demo's transfers, read from their receipts: how many messages each
 * carried, by which gateway path, and the gas it used (docs/adr/009-batched-delivery.md). What the demo prints as
 * batches land, and its gas per message at the end.
 */
final class DeliveryLedger {

    /** One destination transaction: {@code path} is checkpoint, batch or lone. */
    record Landed(String txHash, String chain, int messages, String path, BigInteger gasUsed) {
        long gasPerMessage() {
            return gasUsed.longValueExact() / Math.max(1, messages);
        }
    }

    private final Map<Long, DemoNetwork.Deployment> byChain = new HashMap<>();
    private final Map<String, Landed> landed = new HashMap<>();

    DeliveryLedger(DemoNetwork network) {
        network.deployments().forEach(d -> byChain.put(d.chain().chainId(), d));
    }

    /** The transaction, read once; empty when it was seen before or has no receipt yet. */
    Optional<Landed> first(long dstChainId, String txHash) throws IOException {
        if (landed.containsKey(txHash)) {
            return Optional.empty();
        }
        DemoNetwork.Deployment d = byChain.get(dstChainId);
        Optional<TransactionReceipt> receipt = d.chain().web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
        if (receipt.isEmpty()) {
            return Optional.empty();
        }
        Landed l = read(d, receipt.get());
        landed.put(txHash, l);
        return Optional.of(l);
    }

    private static Landed read(DemoNetwork.Deployment d, TransactionReceipt r) {
        int named = 0;
        int delivered = 0;
        long range = 0;
        for (Log log : r.getLogs()) {
            if (!log.getAddress().equalsIgnoreCase(d.gateway()) || log.getTopics().isEmpty()) {
                continue;
            }
            String topic = log.getTopics().get(0);
            if (topic.equals(GatewayEvents.MESSAGE_EXECUTED_TOPIC)) {
                named++;
            } else if (topic.equals(GatewayEvents.MESSAGE_DELIVERED_TOPIC)) {
                delivered++;
            } else if (topic.equals(GatewayEvents.CHECKPOINT_EXECUTED_TOPIC)) {
                long[] nonces = GatewayEvents.checkpointNonces(log.getData());
                range += nonces[1] - nonces[0] + 1;
            }
        }
        // a failure inside a checkpoint has its own MessageExecuted and is inside the range too
        String path = range > 0 ? "checkpoint" : delivered > 0 ? "batch" : "lone";
        int messages = range > 0 ? (int) range : named + delivered;
        return new Landed(r.getTransactionHash(), d.chain().name(), messages, path, r.getGasUsed());
    }

    /** Gas per message over every transaction seen, and how many there were: "n/a" before the first. */
    String summary() {
        long gas = landed.values().stream().mapToLong(l -> l.gasUsed().longValueExact()).sum();
        int messages = landed.values().stream().mapToInt(Landed::messages).sum();
        return messages == 0 ? "n/a" : String.format("%,d gas a message over %d destination transactions carrying %d messages",
                gas / messages, landed.size(), messages);
    }
}
