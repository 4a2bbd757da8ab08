/**
 * A loopback JSON-RPC proxy ({@link io.courier.testkit.rpc.RpcProxy}) placed between Courier and a real Ganache,
 * so that finality and fault tests run against a real chain while the proxy adds what Ganache lacks: distinct
 * {@code safe}/{@code finalized} heads, and the failures of public RPC endpoints (errors, timeouts, resets,
 * rate limits, stale or lying nodes, outages).
 */
package io.courier.testkit.rpc;
