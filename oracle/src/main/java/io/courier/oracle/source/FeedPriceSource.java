package io.courier.oracle.source;

import io.courier.chain.CallRequest;
import io.courier.chain.ChainClient;
import io.courier.chain.message.Address;
import io.courier.oracle.PriceObservation;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An AggregatorV3-style feed contract (Chainlink's read interface): {@code latestRoundData()} and {@code decimals()}
 * by {@code eth_call}. The observation is dated by the round's {@code updatedAt}, so a feed nobody updates turns
 * stale in the aggregator; its {@code answer} is kept even when zero or negative, so the aggregator rejects it with
 * that reason ({@code NOT_POSITIVE}) rather than a generic failure. The answer is rescaled from the feed's decimals
 * to {@link PriceObservation#USD_DECIMALS} (rounded down).
 */
public record FeedPriceSource(String asset, String name, ChainClient chain, Address feed) implements PriceSource {

    static final String LATEST_ROUND_DATA = "0xfeaf968c";
    static final String DECIMALS = "0x313ce567";
    private static final int WORD = 64; // hex digits

    public FeedPriceSource {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(feed, "feed");
    }

    @Override
    public CompletionStage<PriceObservation> observe() {
        CompletionStage<String> decimals = chain.call(CallRequest.to(feed, DECIMALS));
        return chain.call(CallRequest.to(feed, LATEST_ROUND_DATA)).thenCombine(decimals, this::observation);
    }

    private PriceObservation observation(String round, String decimalsWord) {
        BigInteger answer = signedWord(round, 1);
        BigInteger updatedAt = word(round, 3);
        int decimals = word(decimalsWord, 0).intValue();
        if (word(decimalsWord, 0).bitLength() > 8) {
            throw failure("decimals() answered " + word(decimalsWord, 0) + ", not a uint8");
        }
        if (updatedAt.bitLength() > 40) { // beyond year 36812: not a timestamp
            throw failure("updatedAt " + updatedAt + " is not a unix time");
        }
        int shift = PriceObservation.USD_DECIMALS - decimals;
        BigInteger value = shift >= 0 ? answer.multiply(BigInteger.TEN.pow(shift)) : answer.divide(BigInteger.TEN.pow(-shift));
        return new PriceObservation(asset, name, value, Instant.ofEpochSecond(updatedAt.longValueExact()));
    }

    private BigInteger word(String data, int index) {
        return new BigInteger(1, wordBytes(data, index));
    }

    private BigInteger signedWord(String data, int index) {
        return new BigInteger(wordBytes(data, index)); // two's complement: int256
    }

    private byte[] wordBytes(String data, int index) {
        if (data == null || !data.startsWith("0x") || data.length() < 2 + (index + 1) * WORD) {
            throw failure("answered " + (data == null ? "nothing" : (data.length() - 2) / 2 + " bytes")
                    + ", too short for word " + index + " (is it an AggregatorV3 feed?)");
        }
        String hex = data.substring(2 + index * WORD, 2 + (index + 1) * WORD);
        try {
            return java.util.HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw failure("answered non-hex data");
        }
    }

    private PriceSourceException failure(String what) {
        return new PriceSourceException("price feed " + name + " (" + feed + " on chain " + chain.chainId() + ") of "
                + asset + ": " + what);
    }
}
