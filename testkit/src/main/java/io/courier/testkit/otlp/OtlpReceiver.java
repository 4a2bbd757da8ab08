package io.courier.testkit.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on loopback that keeps every span it is sent, for tests and the demo to point
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} at (with {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf}). It answers
 * {@code POST /v1/traces} (protobuf, gzip or not) and accepts and drops {@code /v1/metrics} and {@code /v1/logs},
 * so an exporter configured for all three signals logs no errors. JSON encoding is refused with 415: the
 * node's exporter sends protobuf, and a silently empty receiver would make a trace test pass for the wrong reason.
 */
public final class OtlpReceiver implements AutoCloseable {

    private static final String PROTOBUF = "application/x-protobuf";

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<ReceivedSpan> spans = Collections.synchronizedList(new ArrayList<>());
    private volatile int requests;

    private OtlpReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on a free loopback port. */
    public static OtlpReceiver start() {
        return start(0);
    }

    /** Listens on {@code port} of loopback (0: any free one). */
    public static OtlpReceiver start(int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("OTLP receiver cannot listen on loopback port " + port, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "otlp-receiver");
            t.setDaemon(true);
            return t;
        });
        OtlpReceiver receiver = new OtlpReceiver(server, executor);
        server.createContext("/v1/traces", receiver::traces);
        server.createContext("/v1/metrics", receiver::dropped);
        server.createContext("/v1/logs", receiver::dropped);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    /** The value for {@code OTEL_EXPORTER_OTLP_ENDPOINT}: the exporter appends {@code /v1/traces}. */
    public String endpoint() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Environment that makes an auto-configured OpenTelemetry SDK export here, quickly. */
    public Map<String, String> exporterEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_TRACES_EXPORTER", "otlp");
        // spans reach the receiver within a fraction of a second, so a process killed a moment later has sent them
        env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
        return env;
    }

    /** Every span received so far, in arrival order. */
    public List<ReceivedSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /** Export requests answered on {@code /v1/traces}. */
    public int exportRequests() {
        return requests;
    }

    /** The spans of trace {@code traceId} (32 hex digits), in start order. */
    public List<ReceivedSpan> trace(String traceId) {
        String id = traceId.toLowerCase(Locale.ROOT);
        return spans().stream().filter(s -> s.traceId().equals(id))
                .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).toList();
    }

    /** Spans by trace id, traces in order of their first span's arrival. */
    public Map<String, List<ReceivedSpan>> traces() {
        return spans().stream().collect(Collectors.groupingBy(ReceivedSpan::traceId, LinkedHashMap::new, Collectors.toList()));
    }

    /** Waits until {@code condition} holds over the spans received, or {@code timeout} passes; returns whether it held. */
    public boolean await(Predicate<List<ReceivedSpan>> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.test(spans())) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(100);
        }
    }

    private void traces(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            ExportTraceServiceRequest request;
            try (InputStream body = body(exchange)) {
                request = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException malformed) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            List<ReceivedSpan> decoded = decode(request);
            synchronized (spans) {
                spans.addAll(decoded);
                requests++;
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private void dropped(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static InputStream body(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream in = exchange.getRequestBody();
        return encoding != null && encoding.equalsIgnoreCase("gzip") ? new GZIPInputStream(in) : in;
    }

    /** The spans of one export request, each with its resource's attributes. */
    static List<ReceivedSpan> decode(ExportTraceServiceRequest request) {
        List<ReceivedSpan> out = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Map<String, String> resource = attributes(rs.hasResource() ? rs.getResource().getAttributesList()
                    : Resource.getDefaultInstance().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    out.add(new ReceivedSpan(hex(s.getTraceId().toByteArray()), hex(s.getSpanId().toByteArray()),
                            s.getParentSpanId().isEmpty() ? "" : hex(s.getParentSpanId().toByteArray()), s.getName(),
                            kind(s.getKind()), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
                            attributes(s.getAttributesList()), resource, status(s.getStatus().getCode()),
                            s.getStatus().getMessage(), ss.getScope().getName()));
                }
            }
        }
        return out;
    }

    private static String kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> "SERVER";
            case SPAN_KIND_CLIENT -> "CLIENT";
            case SPAN_KIND_PRODUCER -> "PRODUCER";
            case SPAN_KIND_CONSUMER -> "CONSUMER";
            case SPAN_KIND_INTERNAL -> "INTERNAL";
            default -> "UNSPECIFIED";
        };
    }

    private static String status(io.opentelemetry.proto.trace.v1.Status.StatusCode code) {
        return switch (code) {
            case STATUS_CODE_OK -> "OK";
            case STATUS_CODE_ERROR -> "ERROR";
            default -> "UNSET";
        };
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every attribute as text: tests compare values, and the tree prints them. */
    private static String value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::value)
                    .collect(Collectors.joining(",", "[", "]"));
            case BYTES_VALUE -> hex(v.getBytesValue().toByteArray());
            default -> v.toString().trim();
        };
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
