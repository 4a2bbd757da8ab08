package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatusBoard;
import io.courier.relayer.status.ChainStatusSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A real {@link StatusApi} bound on 127.0.0.1, any free port, with a fresh registry; and two clients: the JDK's
 * {@link HttpClient} for ordinary requests, and a raw socket for requests no well-behaved client would send.
 */
final class ApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final ActorTestKit testKit;
    final PrometheusRegistry registry = new PrometheusRegistry();
    final StatusApi api;
    private final ServerBinding binding;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    ApiServer(TransferQueries queries, ChainStatusSource chains, ReadinessProbe readiness,
              PayloadDescriber payloads, Duration probeTimeout) {
        this(queries, chains, readiness, payloads, probeTimeout, TransferRoutes.EventSettings.DEFAULT);
    }

    ApiServer(TransferQueries queries, TransferRoutes.EventSettings events) {
        this(queries, new ChainStatusBoard(), () -> java.util.concurrent.CompletableFuture.completedFuture(
                new Readiness(Map.of())), PayloadDescriber.NONE, HealthRoutes.DEFAULT_PROBE_TIMEOUT, events);
    }

    ApiServer(TransferQueries queries, ChainStatusSource chains, ReadinessProbe readiness,
              PayloadDescriber payloads, Duration probeTimeout, TransferRoutes.EventSettings events) {
        this(queries, chains, readiness, payloads, probeTimeout, events, api -> api);
    }

    /** With {@code extend} applied to the API before it binds (e.g. {@code withQuotes}). */
    ApiServer(java.util.function.UnaryOperator<StatusApi> extend) {
        this(new InMemoryTransferQueries(), new ChainStatusBoard(), () -> java.util.concurrent.CompletableFuture.completedFuture(
                new Readiness(Map.of())), PayloadDescriber.NONE, HealthRoutes.DEFAULT_PROBE_TIMEOUT,
                TransferRoutes.EventSettings.DEFAULT, extend);
    }

    /** Over {@code queries}, with {@code extend} applied to the API before it binds (e.g. {@code withAttestations}). */
    ApiServer(TransferQueries queries, java.util.function.UnaryOperator<StatusApi> extend) {
        this(queries, new ChainStatusBoard(), () -> java.util.concurrent.CompletableFuture.completedFuture(
                new Readiness(Map.of())), PayloadDescriber.NONE, HealthRoutes.DEFAULT_PROBE_TIMEOUT,
                TransferRoutes.EventSettings.DEFAULT, extend);
    }

    private ApiServer(TransferQueries queries, ChainStatusSource chains, ReadinessProbe readiness,
                      PayloadDescriber payloads, Duration probeTimeout, TransferRoutes.EventSettings events,
                      java.util.function.UnaryOperator<StatusApi> extend) {
        this.testKit = ActorTestKit.create();
        this.api = extend.apply(new StatusApi(queries, chains, readiness, registry, payloads, probeTimeout).withEventSettings(events));
        try {
            this.binding = api.bind(testKit.system(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            testKit.shutdownTestKit();
            throw new IllegalStateException("cannot bind the status API", e);
        }
    }

    ApiServer(TransferQueries queries) {
        this(queries, new ChainStatusBoard(), () -> java.util.concurrent.CompletableFuture.completedFuture(
                new Readiness(Map.of())), PayloadDescriber.NONE, HealthRoutes.DEFAULT_PROBE_TIMEOUT);
    }


    int port() {
        return binding.localAddress().getPort();
    }

    /** A response as a test looks at it. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The Content-Type header, lowercased, or "" when absent. */
        String contentType() {
            return headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    Reply get(String pathAndQuery) {
        return send("GET", pathAndQuery);
    }

    Reply send(String method, String pathAndQuery) {
        return send(method, pathAndQuery, Map.of());
    }

    Reply get(String pathAndQuery, Map<String, String> headers) {
        return send("GET", pathAndQuery, headers);
    }

    Reply send(String method, String pathAndQuery, Map<String, String> requestHeaders) {
        return send(method, pathAndQuery, requestHeaders, null);
    }

    /** With {@code body} (UTF-8) as the request entity; {@code null}: none. */
    Reply send(String method, String pathAndQuery, Map<String, String> requestHeaders, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        requestHeaders.forEach(builder::header);
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            return new Reply(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} exactly as given (UTF-8 bytes, no encoding or normalisation), with
     * {@code Accept: text/html} to tempt the server into HTML, and reads the whole answer.
     */
    Reply raw(String method, String target) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
            socket.setSoTimeout(10_000);
            String request = method + " " + target + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port() + "\r\n"
                    + "Accept: text/html,application/xhtml+xml\r\n"
                    + ("POST".equals(method) || "PUT".equals(method) ? "Content-Length: 0\r\n" : "")
                    + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("raw " + method + " " + abbreviate(target), e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete HTTP response: " + abbreviate(text));
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        String length = headers.get("content-length");
        if (length != null && Integer.parseInt(length) != body.length) {
            throw new AssertionError("content-length " + length + " but " + body.length + " bytes");
        }
        return new Reply(status, headers, body);
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down anyway
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
