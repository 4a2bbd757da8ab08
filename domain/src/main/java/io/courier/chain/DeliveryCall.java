package io.courier.chain;

import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

/**
 * A destination transaction's input read back as the gateway call it is: which delivery path, which messages, and the
 * signatures (per message, or one set over a checkpoint root) it carried. The inverse of the encodings of
 * {@link GatewayCalldata} and of the lone {@code execute}/{@code retry}; it is how anyone, the status API included,
 * shows from the chain's own record what a delivery used (docs/adr/009-batched-delivery.md). Pure.
 */
public sealed interface DeliveryCall {

    /** The gateway function's name, as in the ABI. */
    String function();

    /** The messages the call delivers, in calldata order. */
    List<CrossChainMessage> messages();

    /** {@code execute}: one message and its own signatures. */
    record Lone(CrossChainMessage message, List<ValidatorSignature> signatures) implements DeliveryCall {
        public Lone {
            Objects.requireNonNull(message, "message");
            signatures = List.copyOf(signatures);
        }

        @Override
        public String function() {
            return "execute";
        }

        @Override
        public List<CrossChainMessage> messages() {
            return List.of(message);
        }
    }

    /** {@code executeBatch}: each message with its own signatures. */
    record Batch(List<GatewayCalldata.Signed> signed) implements DeliveryCall {
        public Batch {
            signed = List.copyOf(signed);
        }

        @Override
        public String function() {
            return "executeBatch";
        }

        @Override
        public List<CrossChainMessage> messages() {
            return signed.stream().map(GatewayCalldata.Signed::message).toList();
        }
    }

    /** {@code executeCheckpoint}: a contiguous range under one root, and the signatures over that root. */
    record Checkpoint(List<CrossChainMessage> range, CheckpointRoot root, List<ValidatorSignature> signatures) implements DeliveryCall {
        public Checkpoint {
            range = List.copyOf(range);
            Objects.requireNonNull(root, "root");
            signatures = List.copyOf(signatures);
        }

        @Override
        public String function() {
            return "executeCheckpoint";
        }

        @Override
        public List<CrossChainMessage> messages() {
            return range;
        }

        public long firstNonce() {
            return range.get(0).nonce();
        }

        public long lastNonce() {
            return range.get(range.size() - 1).nonce();
        }
    }

    /** {@code retry}: a message the gateway holds as Failed, without signatures (checked at its first execution). */
    record Retry(CrossChainMessage message) implements DeliveryCall {
        public Retry {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String function() {
            return "retry";
        }

        @Override
        public List<CrossChainMessage> messages() {
            return List.of(message);
        }
    }

    /** Whether this call delivers {@code id}. */
    default boolean delivers(MessageId id) {
        return messages().stream().anyMatch(m -> m.id().equals(id));
    }

    /**
     * The gateway call {@code input} (0x-hex) makes on chain {@code dstChainId}; empty for a function that delivers
     * nothing (another contract's, or another gateway function).
     *
     * @throws IllegalArgumentException for a delivery function's selector with malformed arguments
     */
    static Optional<DeliveryCall> decode(String input, long dstChainId) {
        byte[] bytes = Numeric.hexStringToByteArray(Objects.requireNonNull(input, "input"));
        if (bytes.length < 4) {
            return Optional.empty();
        }
        String selector = Numeric.toHexString(bytes, 0, 4, true);
        String args = Numeric.toHexStringNoPrefix(Arrays.copyOfRange(bytes, 4, bytes.length));
        try {
            if (selector.equals(Selectors.EXECUTE)) {
                List<Type> a = FunctionReturnDecoder.decode(args, Selectors.EXECUTE_ARGS);
                List<ValidatorSignature> signatures = ((DynamicArray<?>) a.get(6)).getValue().stream()
                        .map(s -> ValidatorSignature.fromBytes(((DynamicBytes) s).getValue())).toList();
                return Optional.of(new Lone(lone(a, dstChainId), signatures));
            }
            if (selector.equals(Selectors.RETRY)) {
                return Optional.of(new Retry(lone(FunctionReturnDecoder.decode(args, Selectors.RETRY_ARGS), dstChainId)));
            }
            if (selector.equals(Selectors.EXECUTE_BATCH)) {
                List<Type> a = FunctionReturnDecoder.decode(args, Selectors.EXECUTE_BATCH_ARGS);
                return Optional.of(new Batch(GatewayCalldata.readBatch(uint(a.get(0)), address(a.get(1)), dstChainId,
                        ((DynamicBytes) a.get(3)).getValue())));
            }
            if (selector.equals(Selectors.EXECUTE_CHECKPOINT)) {
                List<Type> a = FunctionReturnDecoder.decode(args, Selectors.EXECUTE_CHECKPOINT_ARGS);
                List<CrossChainMessage> range = GatewayCalldata.readCheckpointMessages(uint(a.get(0)), address(a.get(1)),
                        uint(a.get(2)), dstChainId, ((DynamicBytes) a.get(6)).getValue());
                return Optional.of(new Checkpoint(range, new CheckpointRoot(io.courier.chain.message.Bytes32.of(((Bytes32) a.get(3)).getValue())),
                        GatewayCalldata.readSignatures(((DynamicBytes) a.get(5)).getValue())));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("calldata of " + selector + " on chain " + dstChainId + " is malformed: " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    private static CrossChainMessage lone(List<Type> a, long dstChainId) {
        return new CrossChainMessage(uint(a.get(0)), address(a.get(1)), uint(a.get(2)), dstChainId, address(a.get(3)),
                address(a.get(4)), ((DynamicBytes) a.get(5)).getValue());
    }

    private static long uint(Type<?> t) {
        return ((BigInteger) t.getValue()).longValueExact();
    }

    private static String address(Type<?> t) {
        return ((Address) t).getValue().toLowerCase(java.util.Locale.ROOT);
    }

    /** The selectors and argument types of the gateway's delivery functions. */
    final class Selectors {
        static final List<TypeReference<Type>> EXECUTE_ARGS = types(new TypeReference<Uint256>() {}, new TypeReference<Address>() {},
                new TypeReference<Uint64>() {}, new TypeReference<Address>() {}, new TypeReference<Address>() {},
                new TypeReference<DynamicBytes>() {}, new TypeReference<DynamicArray<DynamicBytes>>() {});
        static final List<TypeReference<Type>> RETRY_ARGS = EXECUTE_ARGS.subList(0, 6);
        static final List<TypeReference<Type>> EXECUTE_BATCH_ARGS = types(new TypeReference<Uint256>() {},
                new TypeReference<Address>() {}, new TypeReference<DynamicBytes>() {}, new TypeReference<DynamicBytes>() {});
        static final List<TypeReference<Type>> EXECUTE_CHECKPOINT_ARGS = types(new TypeReference<Uint256>() {},
                new TypeReference<Address>() {}, new TypeReference<Uint64>() {}, new TypeReference<Bytes32>() {},
                new TypeReference<DynamicBytes>() {}, new TypeReference<DynamicBytes>() {}, new TypeReference<DynamicBytes>() {});
        static final String EXECUTE = selector("execute(uint256,address,uint64,address,address,bytes,bytes[])");
        static final String RETRY = selector("retry(uint256,address,uint64,address,address,bytes)");
        static final String EXECUTE_BATCH = selector("executeBatch(uint256,address,bytes,bytes)");
        static final String EXECUTE_CHECKPOINT = selector(
                "executeCheckpoint(uint256,address,uint64,bytes32,bytes,bytes,bytes)");

        private Selectors() {}

        private static String selector(String signature) {
            return Numeric.toHexString(org.web3j.crypto.Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0, 4, true);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static List<TypeReference<Type>> types(TypeReference<?>... refs) {
            return (List) List.of(refs);
        }
    }
}
