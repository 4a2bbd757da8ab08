package io.courier.finality.cassandra;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Version-1 (time) UUIDs for a given instant, for history rows keyed by {@code event_time timeuuid}. The time
 * part is the event's millisecond; the rest is random, so two rows at the same millisecond (two nodes, or a
 * transfer observed and moved at once) never overwrite each other. {@link Uuids#timeBased()} would stamp the
 * time of the call, not the time of the event.
 */
final class TimeUuids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TimeUuids() {}

    static UUID at(Instant instant) {
        long msb = Uuids.startOf(instant.toEpochMilli()).getMostSignificantBits();
        long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(msb, lsb);
    }

    static Instant instant(UUID uuid) {
        return Instant.ofEpochMilli(Uuids.unixTimestamp(uuid));
    }
}
