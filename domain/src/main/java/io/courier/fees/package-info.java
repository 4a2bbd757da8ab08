/**
 * Fee math, without I/O: what a chain asks now ({@link io.courier.fees.FeeMarket}, legacy chains detected), the first
 * price of a transaction ({@link io.courier.fees.FeePricer}: priced, or over the chain's cap and not sent) and its
 * bounded replacement ({@link io.courier.fees.FeeBump}), under per-chain {@link io.courier.fees.FeeSettings}. Amounts are
 * wei per gas as {@link java.math.BigInteger}. The model is described in docs/adr/004-submitter-ordering-and-gas.md,
 * "Fees and bumps".
 */
package io.courier.fees;
