package io.courier.demo;

import io.courier.chain.GatewayEvents;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * How many times each message id was executed on its destination gateway, read from the gateways' own events
 * (docs/adr/008-checkpointed-batches.md): a {@code MessageExecuted} (success or failure) or {@code MessageDelivered}
 * names its id; a {@code CheckpointExecuted} covers a nonce range of a route, whose ids the source gateways'
 * {@code MessageSent} events give (a failure inside it has its own {@code MessageExecuted} and is counted once).
 * What the demo and the end-to-end tests use to prove nothing was lost or delivered twice.
 */
public final class DestinationExecutions {

    private DestinationExecutions() {}

    /** Message id (lower-case hex) → executions, over every deployment as destination. */
    public static Map<String, Integer> count(Collection<DemoNetwork.Deployment> deployments) throws IOException {
        Map<String, String> idByRouteNonce = new HashMap<>();
        for (DemoNetwork.Deployment src : deployments) {
            for (Log log : logs(src, GatewayEvents.MESSAGE_SENT_TOPIC)) {
                long dst = Numeric.toBigInt(log.getTopics().get(2)).longValueExact();
                long nonce = Numeric.toBigInt(Numeric.cleanHexPrefix(log.getData()).substring(0, 64)).longValueExact();
                idByRouteNonce.put(key(src.chain().chainId(), src.gateway(), dst, nonce), log.getTopics().get(1).toLowerCase());
            }
        }
        Map<String, Integer> count = new HashMap<>();
        for (DemoNetwork.Deployment d : deployments) {
            Set<String> namedInTx = new HashSet<>();
            for (Log log : logs(d, GatewayEvents.MESSAGE_EXECUTED_TOPIC, GatewayEvents.MESSAGE_DELIVERED_TOPIC)) {
                String id = log.getTopics().get(1).toLowerCase();
                count.merge(id, 1, Integer::sum);
                namedInTx.add(log.getTransactionHash().toLowerCase() + id);
            }
            for (Log log : logs(d, GatewayEvents.CHECKPOINT_EXECUTED_TOPIC)) {
                long srcChain = Numeric.toBigInt(log.getTopics().get(1)).longValueExact();
                String srcGateway = "0x" + log.getTopics().get(2).substring(26).toLowerCase();
                long[] range = GatewayEvents.checkpointNonces(log.getData());
                for (long n = range[0]; n <= range[1]; n++) {
                    String id = idByRouteNonce.get(key(srcChain, srcGateway, d.chain().chainId(), n));
                    String unknown = "unknown:" + srcChain + "/" + srcGateway + "/" + n;
                    if (id == null || !namedInTx.contains(log.getTransactionHash().toLowerCase() + id)) {
                        count.merge(id == null ? unknown : id, 1, Integer::sum);
                    }
                }
            }
        }
        return count;
    }

    private static String key(long srcChain, String srcGateway, long dstChain, long nonce) {
        return srcChain + "/" + srcGateway.toLowerCase() + "/" + dstChain + "/" + nonce;
    }

    private static List<Log> logs(DemoNetwork.Deployment d, String... topics) throws IOException {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.LATEST, d.gateway());
        filter.addOptionalTopics(topics);
        List<Log> out = new ArrayList<>();
        for (EthLog.LogResult<?> r : d.chain().web3j().ethGetLogs(filter).send().getLogs()) {
            out.add((Log) r.get());
        }
        return out;
    }
}
