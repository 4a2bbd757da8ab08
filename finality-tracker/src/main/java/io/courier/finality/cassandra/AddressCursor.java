package io.courier.finality.cassandra;

import io.courier.chain.message.MessageId;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A position in an address's pages: a month partition of {@code transfers_by_address}, and the last row read in it
 * ({@code createdAt}, {@code id}), or {@code first} for the month's newest row. Written as
 * {@code yyyy-MM.millis.0x<id>} (or {@code yyyy-MM} alone), which callers treat as opaque.
 */
record AddressCursor(String month, Instant createdAt, MessageId id) {

    static AddressCursor startOf(YearMonth month) {
        return new AddressCursor(month.toString(), null, null);
    }

    static String month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    }

    static AddressCursor parse(String text) {
        String[] parts = text.split("\\.");
        try {
            YearMonth.parse(parts[0]);
            if (parts.length == 1) {
                return new AddressCursor(parts[0], null, null);
            }
            if (parts.length == 3) {
                return new AddressCursor(parts[0], Instant.ofEpochMilli(Long.parseLong(parts[1])), MessageId.fromHex(parts[2]));
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cursor of this API: '" + text + "'", e);
        }
        throw new IllegalArgumentException("not a cursor of this API: '" + text + "'");
    }

    boolean first() {
        return createdAt == null;
    }

    YearMonth yearMonth() {
        return YearMonth.parse(month);
    }

    @Override
    public String toString() {
        return first() ? month : month + "." + createdAt.toEpochMilli() + "." + id.toHex();
    }
}
