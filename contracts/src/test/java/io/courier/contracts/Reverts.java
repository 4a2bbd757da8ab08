package io.courier.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.utils.Numeric;

/**
 * Dry-runs calls with eth_call and reads the custom error a revert carries. Ganache answers a reverting
 * eth_call with a JSON-RPC error whose {@code data} is the revert data ({@code hasError()}); other nodes put
 * it in the result ({@code isReverted()}). Both are handled.
 */
final class Reverts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Reverts() {}

    static EthCall call(Web3j web3j, String from, String to, String data) throws IOException {
        return web3j.ethCall(Transaction.createEthCallTransaction(from, to, data), DefaultBlockParameterName.LATEST).send();
    }

    /** eth_call with an explicit gas limit (the whole call's, as a transaction would have). */
    static EthCall call(Web3j web3j, String from, String to, String data, long gas) throws IOException {
        return web3j.ethCall(Transaction.createFunctionCallTransaction(from, null, null, BigInteger.valueOf(gas), to, data),
                DefaultBlockParameterName.LATEST).send();
    }

    /** The revert data of a reverted call, {@code 0x…}; fails the test if the call did not revert. */
    static String revertData(EthCall call) {
        if (call.hasError()) {
            String raw = call.getError().getData();
            assertThat(raw).as("revert data of error '%s'", call.getError().getMessage()).isNotNull();
            return extract(raw);
        }
        assertThat(call.isReverted()).as("call reverted (result %s)", call.getValue()).isTrue();
        return call.getValue();
    }

    /** Web3j keeps {@code error.data} as raw JSON: a quoted hex string, or an object holding it. */
    private static String extract(String rawJson) {
        try {
            JsonNode node = JSON.readTree(rawJson);
            if (node.isTextual()) {
                return node.asText();
            }
            for (String field : List.of("result", "data")) {
                if (node.hasNonNull(field) && node.get(field).isTextual()) {
                    return node.get(field).asText();
                }
            }
        } catch (IOException e) {
            // not JSON: the data itself
        }
        return rawJson;
    }

    /** {@code 0x} + the 4-byte selector of an error or function signature such as {@code "HighS(uint256)"}. */
    static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    /**
     * Asserts that {@code call} reverted with the custom error {@code signature} and these arguments. Arguments:
     * numbers for uintN, strings (any case) for address, byte[] for bytes/bytes32, strings for string.
     */
    static void assertCustomError(EthCall call, String signature, Object... expected) {
        String data = revertData(call);
        assertThat(data).as("revert data %s", data).startsWith(selector(signature));
        List<Object> actual = decodeArguments(signature, data);
        assertThat(actual).as("arguments of %s", signature).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i)).as("argument %d of %s", i, signature).isEqualTo(normalize(expected[i]));
        }
    }

    /** Decodes the arguments of custom error {@code signature} from its revert data (normalized values). */
    static List<Object> decodeArguments(String signature, String data) {
        String inner = signature.substring(signature.indexOf('(') + 1, signature.length() - 1);
        List<TypeReference<Type>> types = new ArrayList<>();
        if (!inner.isEmpty()) {
            for (String type : inner.split(",")) {
                try {
                    @SuppressWarnings("unchecked")
                    TypeReference<Type> reference = (TypeReference<Type>) (TypeReference<?>) TypeReference.makeTypeReference(type);
                    types.add(reference);
                } catch (ClassNotFoundException e) {
                    throw new IllegalArgumentException("unknown ABI type " + type + " in " + signature, e);
                }
            }
        }
        List<Object> values = new ArrayList<>();
        for (Type<?> value : FunctionReturnDecoder.decode(data.substring(10), types)) {
            values.add(normalize(value instanceof Address address ? address.getValue() : value.getValue()));
        }
        return values;
    }

    private static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof byte[] bytes) {
            return Numeric.toHexString(bytes);
        }
        if (value instanceof String text && text.startsWith("0x")) {
            return text.toLowerCase(Locale.ROOT);
        }
        return value;
    }
}
