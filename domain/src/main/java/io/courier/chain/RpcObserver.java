package io.courier.chain;

/**
 * Told about every request sent (each retry counts), so the relayer can export
 * {@code courier_rpc_requests_total} and {@code courier_rpc_request_duration_seconds} without this module
 * knowing about Prometheus. Called on I/O threads: keep it cheap and non-blocking; exceptions are logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface RpcObserver {

    /** Endpoint label of calls refused locally by the limiter: they never reached an endpoint. */
    String NO_ENDPOINT = "none";

    /**
     * @param chain chain name from the settings
     * @param endpoint endpoint label (scheme, host and port: never the path, which often holds an API key)
     * @param method JSON-RPC method
     * @param outcome {@code ok}, or the {@link ChainRpcException.Kind#label()} of the failure
     */
    void onRequest(String chain, String endpoint, String method, String outcome, long durationNanos);

    static RpcObserver noop() {
        return (chain, endpoint, method, outcome, durationNanos) -> { };
    }
}
