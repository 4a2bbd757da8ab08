package io.courier.relayer.telemetry;

import io.courier.chain.RpcObserver;

/** Counts every JSON-RPC request of the chain clients into {@link CourierMetrics}. */
public final class PrometheusRpcObserver implements RpcObserver {
    private final CourierMetrics metrics;

    public PrometheusRpcObserver(CourierMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onRequest(String chain, String endpoint, String method, String outcome, long durationNanos) {
        metrics.rpcRequests.labelValues(chain, endpoint, method, outcome).inc();
        metrics.rpcDuration.labelValues(chain, endpoint, method).observe(durationNanos / 1e9);
    }
}
