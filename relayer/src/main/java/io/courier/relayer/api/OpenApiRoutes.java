package io.courier.relayer.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /openapi.yaml}: the OpenAPI 3.1 document of this API, the {@code openapi.yaml} resource of this
 * module, read once at construction (a build without it fails at start, not at the first request).
 */
public final class OpenApiRoutes extends ApiDirectives {

    public static final String OPENAPI = "/openapi.yaml";
    public static final String RESOURCE = "/openapi.yaml";
    public static final ContentType YAML =
            ContentTypes.create(MediaTypes.applicationWithOpenCharset("yaml", "yaml", "yml"), HttpCharsets.UTF_8);

    private final byte[] document;

    public OpenApiRoutes(ApiJson json) {
        super(json);
        this.document = load();
    }

    public Route route() {
        return path("openapi.yaml", () -> template(OPENAPI, () -> get(() ->
                complete(HttpResponse.create().withEntity(HttpEntities.create(YAML, document))))));
    }

    /** The document's bytes, from the classpath. */
    public static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
