package io.courier.oracle.onchain;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.Hash;

/**
 * The calldata of {@code GasOracle.sol}'s calls the updater makes, and the decoding of their answers: plain ABI words,
 * so the oracle's pure logic needs no contract wrapper ({@code GasOracleAbiTest} checks it against the generated one).
 */
public final class GasOracleAbi {

    private static final String UPDATE = selector("update((uint256,uint96,uint128,uint32,uint64)[])");
    private static final String GAS_DATA = selector("gasData(uint256)");
    private static final String MAX_FACTOR_BPS = selector("maxFactorBps()");
    private static final String UPDATER = selector("updater()");
    private static final String QUOTE_FEE = selector("quoteFee(uint256,uint256)");
    private static final int WORD = 64; // hex digits

    private GasOracleAbi() {}

    /** {@code update(updates)}: one (dstChainId, gasPrice, tokenRatio, overheadGas, margin) tuple per destination, in order. */
    public static String update(Map<Long, GasData> byDestination) {
        StringBuilder data = new StringBuilder(UPDATE).append(word(BigInteger.valueOf(0x20))).append(word(BigInteger.valueOf(byDestination.size())));
        byDestination.forEach((dst, v) -> data.append(word(BigInteger.valueOf(dst))).append(word(v.gasPrice())).append(word(v.tokenRatio()))
                .append(word(BigInteger.valueOf(v.overheadGas()))).append(word(v.margin())));
        return data.toString();
    }

    public static String gasData(long dstChainId) {
        return GAS_DATA + word(BigInteger.valueOf(dstChainId));
    }

    public static String maxFactorBps() {
        return MAX_FACTOR_BPS;
    }

    public static String updater() {
        return UPDATER;
    }

    public static String quoteFee(long dstChainId, long gasLimit) {
        return QUOTE_FEE + word(BigInteger.valueOf(dstChainId)) + word(BigInteger.valueOf(gasLimit));
    }

    /** The answer of {@code gasData}: empty while the destination was never priced ({@code updatedAt} 0). */
    public static Optional<UpdateDecision.OnChain> decodeGasData(String answer) {
        List<BigInteger> w = words(answer, 5, "gasData");
        if (w.get(4).signum() == 0) {
            return Optional.empty();
        }
        return Optional.of(new UpdateDecision.OnChain(new GasData(w.get(0), w.get(1), w.get(2).longValueExact(), w.get(3)),
                Instant.ofEpochSecond(w.get(4).longValueExact())));
    }

    /** The answer of a call returning one uint or address word. */
    public static BigInteger decodeWord(String answer, String what) {
        return words(answer, 1, what).get(0);
    }

    private static List<BigInteger> words(String answer, int count, String what) {
        if (answer == null || !answer.startsWith("0x") || answer.length() < 2 + count * WORD) {
            throw new IllegalArgumentException(what + " answered " + (answer == null ? "nothing" : (answer.length() - 2) / 2 + " bytes")
                    + ", expected " + count + " words (is it a GasOracle?)");
        }
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new BigInteger(1, HexFormat.of().parseHex(answer.substring(2 + i * WORD, 2 + (i + 1) * WORD)))).toList();
    }

    private static String word(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        String hex = value.toString(16);
        return "0".repeat(WORD - hex.length()) + hex;
    }

    private static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }
}
