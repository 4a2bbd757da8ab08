package io.courier.testkit.otlp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One span as it arrived over OTLP: ids as lowercase hex ({@code parentSpanId} empty for a root), kind and status
 * code by their OpenTelemetry names ({@code SERVER}, {@code ERROR}, ...), attributes as text.
 */
public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, String kind,
                           long startEpochNanos, long endEpochNanos, Map<String, String> attributes,
                           Map<String, String> resource, String status, String statusMessage, String scope) {

    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }

    public String attribute(String key) {
        return attributes.get(key);
    }

    public Duration duration() {
        return Duration.ofNanos(Math.max(0, endEpochNanos - startEpochNanos));
    }

    /**
     * The spans of one trace as an indented tree: each span under its parent, siblings in start order; spans whose
     * parent never arrived are listed at the top level, marked so.
     */
    public static String tree(List<ReceivedSpan> trace) {
        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        Map<String, List<ReceivedSpan>> children = trace.stream()
                .collect(Collectors.groupingBy(ReceivedSpan::parentSpanId));
        List<ReceivedSpan> tops = new ArrayList<>(trace.stream()
                .filter(s -> s.isRoot() || !ids.contains(s.parentSpanId())).toList());
        tops.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
        StringBuilder out = new StringBuilder();
        Set<String> printed = new HashSet<>();
        for (ReceivedSpan top : tops) {
            print(top, 0, children, printed, out, !top.isRoot());
        }
        return out.toString();
    }

    private static void print(ReceivedSpan span, int depth, Map<String, List<ReceivedSpan>> children,
                              Set<String> printed, StringBuilder out, boolean orphan) {
        if (!printed.add(span.spanId() + "/" + span.startEpochNanos())) {
            return; // a span exported twice (a resent batch) is shown once
        }
        out.append("  ".repeat(depth)).append(span.name()).append(" [").append(span.kind().toLowerCase())
                .append(", ").append(span.duration().toMillis()).append(" ms");
        if (!"UNSET".equals(span.status())) {
            out.append(", ").append(span.status());
        }
        out.append("]");
        if (orphan) {
            out.append(" (parent ").append(span.parentSpanId()).append(" not received)");
        }
        String detail = span.attributes().entrySet().stream()
                .filter(e -> !e.getKey().equals("courier.message_id"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        if (!detail.isEmpty()) {
            out.append(" ").append(detail);
        }
        out.append('\n');
        List<ReceivedSpan> kids = new ArrayList<>(children.getOrDefault(span.spanId(), List.of()));
        kids.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
        for (ReceivedSpan kid : kids) {
            print(kid, depth + 1, children, printed, out, false);
        }
    }
}
