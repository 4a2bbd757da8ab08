/**
 * A loopback JSON-RPC proxy ({@link io.courier.testkit.rpc.RpcProxy}) placed between Courier and a real Ganache,
 * so that finality and fault tests run against a real chain while the proxy adds what Ganache lacks: distinct
 * {@code safe}/{@code finalized} heads, and the failures of public RPC endpoints (errors, timeouts, resets,
 * rate limits, stale nodes, outages), and lies told on purpose (invented logs, a head far ahead, forged
 * receipts) for tests of a node that must not trust one endpoint.
 */
package io.courier.testkit.rpc;
