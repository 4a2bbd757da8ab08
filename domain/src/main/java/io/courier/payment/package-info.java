/**
 * Who pays for a message's destination gas, without I/O: the {@code GasPaid} payments a gateway announced
 * ({@link io.courier.payment.GasPayment}, read from logs by {@link io.courier.payment.GasPaidDecoder}), each route's
 * policy ({@link io.courier.payment.PaymentPolicy}: {@code required} or {@code sponsored}) and the verdict at finality
 * ({@link io.courier.payment.PaymentVerdict}): deliver, hold as UNDERPAID until a top-up, or wait for a quote.
 */
package io.courier.payment;
