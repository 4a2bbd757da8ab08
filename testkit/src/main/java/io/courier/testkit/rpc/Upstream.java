package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The real node behind an {@link RpcProxy}, reached with {@link HttpClient} (no extra dependency, HTTP/1.1 to match
 * Ganache). It forwards requests byte for byte and knows the real head, cached for at most {@link #HEAD_TTL} so
 * that tag rewriting does not double the load on the node, while a test that mines and then waits past the TTL
 * always sees the new head.
 */
final class Upstream {

    /** How long the learned head may be reused. */
    static final Duration HEAD_TTL = Duration.ofMillis(100);

    /** Bounds a forwarded request, so a hung node cannot pin a proxy worker forever. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final byte[] BLOCK_NUMBER =
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}".getBytes(StandardCharsets.UTF_8);

    /** An answer of the node: status, content type and body as received. */
    record Reply(int status, String contentType, byte[] body) {}

    private final URI uri;
    private final HttpClient client;
    private final ObjectMapper json;
    private final Object headLock = new Object();
    private long head = -1;
    private long headAt;

    Upstream(URI uri, ExecutorService executor, ObjectMapper json) {
        this.uri = uri;
        this.json = json;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    URI uri() {
        return uri;
    }

    /**
     * Sends a request to the node; {@code pathAndQuery} is the proxy request's, appended to the upstream path.
     *
     * @throws UncheckedIOException when the node cannot be reached or does not answer in time (a gateway error,
     *         never to be confused with the client's own connection failing)
     */
    Reply forward(String method, String pathAndQuery, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target(pathAndQuery)).timeout(REQUEST_TIMEOUT);
        request.header("Content-Type", contentType == null ? "application/json" : contentType);
        if ("GET".equals(method) && body.length == 0) {
            request.GET();
        } else {
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("application/json");
            return new Reply(response.statusCode(), type, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while forwarding to " + uri, e));
        }
    }

    /** Sends a JSON-RPC request to the node's own URL. */
    Reply post(byte[] body) {
        return forward("POST", "", "application/json", body);
    }

    /** The real head, reusing an answer younger than {@link #HEAD_TTL}. */
    long head() {
        synchronized (headLock) {
            if (head >= 0 && System.nanoTime() - headAt <= HEAD_TTL.toNanos()) {
                return head;
            }
            head = freshHead();
            headAt = System.nanoTime();
            return head;
        }
    }

    /** The real head, asked now (for freezing a stale view at the exact moment it is switched on). */
    long freshHead() {
        try {
            Reply reply = post(BLOCK_NUMBER);
            JsonNode answer = json.readTree(reply.body());
            long number = BlockTags.parseQuantity(answer.path("result").asText(""));
            if (reply.status() != 200 || number < 0) {
                throw new IOException("eth_blockNumber answered HTTP " + reply.status() + ": "
                        + new String(reply.body(), StandardCharsets.UTF_8));
            }
            return number;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot learn the head of " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The hash of the node's block {@code number}, or {@code null} if it has none (the chain was reverted below it). */
    String blockHash(long number) {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getBlockByNumber\",\"params\":[\""
                + BlockTags.quantity(number) + "\",false]}";
        try {
            Reply reply = post(call.getBytes(StandardCharsets.UTF_8));
            JsonNode hash = json.readTree(reply.body()).path("result").path("hash");
            return reply.status() == 200 && hash.isTextual() ? hash.asText() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read block " + number + " of " + uri + ": " + e.getMessage(), e);
        }
    }

    private URI target(String pathAndQuery) {
        if (pathAndQuery == null || pathAndQuery.isEmpty() || pathAndQuery.equals("/")) {
            return uri;
        }
        String base = uri.toString();
        return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) + pathAndQuery : base + pathAndQuery);
    }
}
