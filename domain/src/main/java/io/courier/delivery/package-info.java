/**
 * Which messages go together in one destination transaction, and by which of the gateway's paths (ADR 008,
 * docs/adr/009-batched-delivery.md): pure planning over messages that are ready, the destination's limits and a gas
 * model. No I/O; the submitter asks, builds calldata for the answer and checks it against the chain.
 */
package io.courier.delivery;
