package io.courier.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A JDK {@link HttpServer} on 127.0.0.1 answering canned responses by path and query, recording every request. */
final class FakeNode implements AutoCloseable {

    /** Writes one response. */
    interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    /** A request as it arrived: path with query, and its {@code Last-Event-ID}. */
    record Seen(String target, String lastEventId) {}

    private final HttpServer server;
    private final Map<String, List<Answer>> answers = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    FakeNode() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            seen.add(new Seen(target, exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            List<Answer> queue = answers.get(target);
            try {
                if (queue == null || queue.isEmpty()) {
                    json(404, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}").write(exchange);
                } else {
                    // the last answer repeats; the ones before it are used once each
                    (queue.size() > 1 ? queue.remove(0) : queue.get(0)).write(exchange);
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers {@code target} (path and raw query) with {@code answers} in turn, the last one from then on. */
    FakeNode on(String target, Answer... answers) {
        this.answers.put(target, new CopyOnWriteArrayList<>(List.of(answers)));
        return this;
    }

    static Answer json(int status, String contentType, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    static Answer ok(String body) {
        return json(200, "application/json", body);
    }

    /** An event stream that writes {@code chunks} one after another (flushed each) and ends, or hangs open if {@code hang}. */
    static Answer stream(boolean hang, String... chunks) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String chunk : chunks) {
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (hang) {
                try {
                    while (true) {
                        Thread.sleep(50);
                        out.write(":\n".getBytes(StandardCharsets.UTF_8)); // heartbeats until the client hangs up
                        out.flush();
                    }
                } catch (InterruptedException | IOException gone) {
                    // the client closed the stream
                }
            }
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
