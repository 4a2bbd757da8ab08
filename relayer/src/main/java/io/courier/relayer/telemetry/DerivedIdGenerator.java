package io.courier.relayer.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Random ids, except while {@link #withIds} runs: then the next root span takes the given trace and span id.
 * That is how a transfer's root span gets ids derived from its message id, so every node and every restart
 * lands in the same trace.
 */
final class DerivedIdGenerator implements IdGenerator {

    private static final ThreadLocal<String[]> NEXT = new ThreadLocal<>();
    private final IdGenerator random = IdGenerator.random();

    static void withIds(String traceId, String spanId, Runnable body) {
        NEXT.set(new String[] {traceId, spanId});
        try {
            body.run();
        } finally {
            NEXT.remove();
        }
    }

    @Override
    public String generateSpanId() {
        String[] next = NEXT.get();
        return next != null ? next[1] : random.generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String[] next = NEXT.get();
        return next != null ? next[0] : random.generateTraceId();
    }
}
