/**
 * The price oracle's pure logic (docs/ARCHITECTURE.md §2): observations from several sources, their robust aggregation
 * ({@link io.courier.oracle.Aggregator}) and fee quotes ({@link io.courier.oracle.FeeMath}, {@link io.courier.oracle.Quoter}).
 * No I/O here: the sources that read chains and HTTP live in {@code io.courier.oracle.source}.
 */
package io.courier.oracle;
