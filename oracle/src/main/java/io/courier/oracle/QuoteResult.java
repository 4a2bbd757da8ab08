package io.courier.oracle;

import io.courier.oracle.AggregatedPrice.Price;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A fee quote, or why there is none. */
public sealed interface QuoteResult {

    /**
     * {@code fee} wei of the source chain's native token pays for {@code gas} = {@code overheadGas} +
     * {@code gasLimit} on the destination at {@code dstGasPrice}, converted at the two token prices, plus
     * {@code margin}; it holds until {@code validUntil}.
     */
    record Quote(long from, long to, long gasLimit, long overheadGas, BigInteger fee, BigDecimal margin,
                 Price dstGasPrice, Price srcTokenPrice, Price dstTokenPrice, Instant quotedAt, Instant validUntil)
            implements QuoteResult {
        public Quote {
            Objects.requireNonNull(fee, "fee");
            Objects.requireNonNull(margin, "margin");
            Objects.requireNonNull(dstGasPrice, "dstGasPrice");
            Objects.requireNonNull(srcTokenPrice, "srcTokenPrice");
            Objects.requireNonNull(dstTokenPrice, "dstTokenPrice");
            Objects.requireNonNull(quotedAt, "quotedAt");
            Objects.requireNonNull(validUntil, "validUntil");
        }

        public long gas() {
            return overheadGas + gasLimit;
        }
    }

    /** Why a quote was refused. Shown by the API: append-only by habit. */
    enum Refusal {
        /** {@code from} or {@code to} is not a chain this node relays between (or both are the same chain). */
        UNKNOWN_ROUTE,
        /** The handler gas asked for is more than this node would ever submit. */
        GAS_LIMIT_TOO_HIGH,
        /** A price the quote needs is missing: {@link Refused#noPrice} says why. */
        NO_PRICE
    }

    /** {@code asset} and {@code noPrice}: the price that was missing and why (for {@link Refusal#NO_PRICE}). */
    record Refused(Refusal refusal, String detail, Optional<String> asset, Optional<NoPriceReason> noPrice,
                   List<Rejection> rejected) implements QuoteResult {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(noPrice, "noPrice");
            rejected = List.copyOf(rejected);
        }

        static Refused of(Refusal refusal, String detail) {
            return new Refused(refusal, detail, Optional.empty(), Optional.empty(), List.of());
        }
    }
}
