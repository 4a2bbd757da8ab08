/**
 * Price sources: the adapters of the oracle, over the domain's {@code ChainClient} port and {@code java.net.http}.
 * Each answers one asset's {@link io.courier.oracle.SourceReading}; failures become readings, never exceptions.
 */
package io.courier.oracle.source;
