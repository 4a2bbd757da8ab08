package io.courier.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** One status change of a transfer; {@code from} is null on the first entry (the observation). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HistoryEntry(Instant at, TransferStatus from, TransferStatus to, String cause) {}
