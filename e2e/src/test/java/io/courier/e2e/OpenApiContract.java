package io.courier.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.courier.relayer.api.OpenApiRoutes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks a real answer of the node against its {@code openapi.yaml}: the path and method are documented, the status
 * code is one the operation lists, the content type one that response lists, a JSON body validates against the
 * response's schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1, with {@code $ref}s into the document and
 * formats asserted), and a successful answer's query parameters are documented. Used by {@link NodeApi}, so every
 * answer the end-to-end tests read through it is checked.
 */
final class OpenApiContract {

    /** Where the document is registered for the validator; never fetched. */
    private static final String DOC = "https://courier.invalid/openapi.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract SHARED = new OpenApiContract(OpenApiRoutes.load());

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    OpenApiContract(byte[] yaml) {
        try {
            this.document = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml does not parse", e);
        }
        String asJson = document.toString();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemas(Map.of(DOC, asJson))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    static OpenApiContract shared() {
        return SHARED;
    }

    /**
     * The ways the answer breaks the document; empty when it conforms.
     *
     * @param contentType the answer's {@code Content-Type}, or null
     */
    List<String> violations(String method, URI uri, int status, String contentType, String body) {
        List<String> out = new ArrayList<>();
        String what = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " -> " + status;
        Optional<String> template = template(uri.getPath());
        JsonNode operation = template.map(t -> document.path("paths").path(t).path(method.toLowerCase(Locale.ROOT)))
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        String responsePointer;
        if (operation.isMissingNode()) {
            // no route: the API answers a plain problem (404, or 405 on a known path), shaped as every problem
            if (status != 404 && status != 405) {
                out.add(what + ": " + method + " " + uri.getPath() + " is not in the document");
                return out;
            }
            return validate(what, "/components/schemas/Problem", "application/problem+json", contentType, body, out, true);
        }
        String operationPointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT);
        JsonNode responses = operation.path("responses");
        String code = Integer.toString(status);
        if (responses.has(code)) {
            responsePointer = operationPointer + "/responses/" + code;
        } else if (responses.has("default")) {
            responsePointer = operationPointer + "/responses/default";
        } else {
            out.add(what + ": status " + status + " is not documented for " + method + " " + template.get());
            return out;
        }
        JsonNode response = document.at(responsePointer);
        if (response.has("$ref")) {
            responsePointer = response.path("$ref").asText().substring(1);
            response = document.at(responsePointer);
        }
        if (status >= 200 && status < 300) {
            checkQuery(what, uri, operation, out);
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return out;
        }
        String base = baseType(contentType);
        String documented = null;
        for (Iterator<String> types = content.fieldNames(); types.hasNext(); ) {
            String type = types.next();
            if (baseType(type).equals(base)) {
                documented = type;
            }
        }
        if (documented == null) {
            List<String> listed = new ArrayList<>();
            content.fieldNames().forEachRemaining(listed::add);
            out.add(what + ": content type " + contentType + " is not documented (documented: " + listed + ")");
            return out;
        }
        return validate(what, responsePointer + "/content/" + escape(documented) + "/schema", documented, contentType, body, out,
                base.equals("application/json") || base.equals("application/problem+json"));
    }

    private List<String> validate(String what, String schemaPointer, String documented, String contentType, String body,
                                  List<String> out, boolean json) {
        if (!baseType(documented).equals(baseType(contentType))) {
            out.add(what + ": content type " + contentType + ", documented " + documented);
            return out;
        }
        if (!json) {
            return out;
        }
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException e) {
            out.add(what + ": body is not JSON: " + e.getMessage());
            return out;
        }
        Schema schema = schemas.computeIfAbsent(schemaPointer, p -> {
            ObjectNode ref = JsonNodeFactory.instance.objectNode();
            ref.put("$ref", DOC + "#" + fragment(p));
            // one wrapper per pointer, named after it: the registry caches schemas by location
            return registry.getSchema(SchemaLocation.of("https://courier.invalid/check/" + Integer.toHexString(p.hashCode())
                    + "/" + Integer.toHexString(p.length())), ref);
        });
        for (Error error : schema.validate(instance)) {
            out.add(what + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
        return out;
    }

    /** Every query parameter of a successful answer is one the operation documents. */
    private static void checkQuery(String what, URI uri, JsonNode operation, List<String> out) {
        if (uri.getRawQuery() == null) {
            return;
        }
        List<String> names = new ArrayList<>();
        operation.path("parameters").forEach(p -> names.add(p.path("name").asText()));
        for (String pair : uri.getRawQuery().split("&")) {
            String name = java.net.URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
            if (!names.contains(name)) {
                out.add(what + ": query parameter '" + name + "' is not documented");
            }
        }
    }

    /** The documented path template {@code path} matches, literal paths first. */
    private Optional<String> template(String path) {
        String best = null;
        for (Iterator<String> it = document.path("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String regex = "\\Q" + t.replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(regex, path) && (best == null || !t.contains("{"))) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String baseType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    /** A JSON pointer token. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer as a URI fragment (RFC 6901 §6). */
    private static String fragment(String pointer) {
        StringBuilder out = new StringBuilder();
        for (byte b : pointer.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "/~-._".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
