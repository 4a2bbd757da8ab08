package io.courier.finality.store;

import io.courier.finality.Transfer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an address's transfers, newest first, and the cursor of the next page ({@code next}: absent when
 * there is nothing older). The cursor is opaque to callers; pass it back as it is.
 */
public record AddressPage(List<Transfer> transfers, Optional<String> next) {
    public AddressPage {
        transfers = List.copyOf(transfers);
        Objects.requireNonNull(next, "next");
    }
}
