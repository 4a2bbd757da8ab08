package io.courier.chain;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a request was about, so that an error can say so: the JSON-RPC method and, when relevant, the block
 * (or block range) or the transaction.
 */
public record RpcCall(String method, Long fromBlock, Long toBlock, String txHash) {

    public RpcCall {
        Objects.requireNonNull(method, "method");
    }

    public static RpcCall of(String method) {
        return new RpcCall(method, null, null, null);
    }

    public static RpcCall atBlock(String method, long block) {
        return new RpcCall(method, block, block, null);
    }

    public static RpcCall blocks(String method, long fromBlock, long toBlock) {
        return new RpcCall(method, fromBlock, toBlock, null);
    }

    public static RpcCall tx(String method, String txHash) {
        return new RpcCall(method, null, null, txHash);
    }

    public OptionalLong block() {
        return fromBlock == null ? OptionalLong.empty() : OptionalLong.of(fromBlock);
    }

    public Optional<String> tx() {
        return Optional.ofNullable(txHash);
    }

    /** {@code eth_getLogs blocks 10..19}, {@code eth_getBlockByNumber block 7}, {@code eth_getTransactionReceipt tx 0xab..}. */
    public String describe() {
        StringBuilder text = new StringBuilder(method);
        if (fromBlock != null) {
            text.append(fromBlock.equals(toBlock) ? " block " + fromBlock : " blocks " + fromBlock + ".." + toBlock);
        }
        if (txHash != null) {
            text.append(" tx ").append(txHash);
        }
        return text.toString();
    }
}
