package io.courier.relayer.status;

import io.courier.oracle.PriceBook;

/** The latest aggregated prices, as the price poller last published them; readers never wait for it. */
public interface OraclePrices {

    PriceBook current();
}
