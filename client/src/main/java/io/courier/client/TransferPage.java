package io.courier.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** A page of {@code GET /v1/transfers?address=…}, newest first; {@code next} (null on the last page) continues it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransferPage(List<Transfer> transfers, String next) {

    public TransferPage {
        transfers = transfers == null ? List.of() : List.copyOf(transfers);
    }

    public Optional<String> nextCursor() {
        return Optional.ofNullable(next);
    }
}
