package io.courier.relayer.api;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Objects;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics}: the Prometheus text exposition (format 0.0.4) of the registry it is given. The scrape is
 * an in-memory snapshot of the registry's collectors, cheap enough to run on the routing thread.
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
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();


    public MetricsRoutes(PrometheusRegistry registry, ApiJson json) {
        super(json);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    private static ContentType contentType() {
        LinkedHashMap<String, String> parameters = new LinkedHashMap<>();
        parameters.put("version", "0.0.4");
        parameters.put("charset", "utf-8");
        ContentType type = ContentTypes.create(MediaTypes.customBinary("text", "plain", true, parameters, false));
        if (!type.toString().equals(PrometheusTextFormatWriter.CONTENT_TYPE)) {
            return ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);
        }
        return type;
    }

    public Route route() {
        return path("metrics", () -> template(METRICS, () -> get(() -> complete(scrape()))));
    }

    private HttpResponse scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics exposition", e);
        }
        return HttpResponse.create().withEntity(HttpEntities.create(CONTENT_TYPE, out.toByteArray()));
    }
}
