package io.courier.relayer.api;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: the exposition of the registry it is given, in the format the scraper's {@code Accept} header
 * asks for, as client_java's {@link ExpositionFormats} negotiates it: the Prometheus text format (0.0.4) by default,
 * OpenMetrics text when asked (Prometheus asks for it first), which is the format that carries exemplars (the trace
 * ids of latency samples). The scrape is an in-memory snapshot of the registry's collectors, cheap enough to run on
 * the routing thread.
 */
public final class MetricsRoutes extends ApiDirectives {

    public static final String METRICS = "/metrics";
    /**
     * {@code text/plain; version=0.0.4; charset=utf-8}, rendered exactly so ({@link ContentTypes#parse} would
     * upper-case the charset). Declared as a binary media type carrying the charset as a plain parameter: the
     * writer produces UTF-8 bytes, which Pekko then sends untouched.
     */
    public static final ContentType CONTENT_TYPE = contentType();

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();
    /** Content types by the writer's text: a handful at most (one per format). */
    private final Map<String, ContentType> contentTypes = new ConcurrentHashMap<>();


    public MetricsRoutes(PrometheusRegistry registry, ApiJson json) {
        super(json);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    private static ContentType contentType() {
        return contentType(PrometheusTextFormatWriter.CONTENT_TYPE);
    }

    /**
     * {@code text} (a writer's content type, e.g. {@code application/openmetrics-text; version=1.0.0; charset=utf-8})
     * as a Pekko content type rendered exactly so: a binary media type with the charset as a plain parameter.
     */
    static ContentType contentType(String text) {
        String[] parts = text.split(";");
        String[] type = parts[0].trim().split("/", 2);
        LinkedHashMap<String, String> parameters = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2) {
                parameters.put(kv[0].trim().toLowerCase(Locale.ROOT), kv[1].trim());
            }
        }
        ContentType built = type.length == 2
                ? ContentTypes.create(MediaTypes.customBinary(type[0], type[1], true, parameters, false)) : null;
        return built != null && built.toString().equals(text) ? built : ContentTypes.parse(text);
    }

    public Route route() {
        return path("metrics", () -> template(METRICS, () -> get(() ->
                optionalHeaderValueByName("Accept", accept -> complete(scrape(accept))))));
    }

    /** The writer for {@code accept}; a format whose implementation is not on the class path (protobuf) is skipped. */
    ExpositionFormatWriter writerFor(Optional<String> accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept.orElse(null));
        if (writer.isAvailable()) {
            return writer;
        }
        String text = accept.orElse("");
        return formats.getOpenMetricsTextFormatWriter().accepts(text)
                ? formats.getOpenMetricsTextFormatWriter() : formats.getPrometheusTextFormatWriter();
    }

    private HttpResponse scrape(Optional<String> accept) {
        ExpositionFormatWriter writer = writerFor(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics exposition", e);
        }
        ContentType type = contentTypes.computeIfAbsent(writer.getContentType(), MetricsRoutes::contentType);
        return HttpResponse.create().withEntity(HttpEntities.create(type, out.toByteArray()))
                .addHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Vary", "Accept"));
    }
}
