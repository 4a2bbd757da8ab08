package io.courier.chain.web3j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON-RPC node double on a real loopback HTTP socket ({@link HttpServer}), so that status codes and headers go
 * through OkHttp and web3j's {@code HttpService} as they would from a provider. Its URL carries a fake API key in
 * the path, which must never show in labels.
 */
final class FakeRpcServer implements AutoCloseable {

    static final String KEY = "SECRETKEY";

    /** What to answer; {@code n} counts this server's requests from 1. */
    interface Handler {
        Reply answer(String method, int n);
    }

    record Reply(int status, Map<String, String> headers, String body) {
        static Reply result(String json) {
            return new Reply(200, Map.of(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + json + "}");
        }

        static Reply status(int status, Map<String, String> headers, String body) {
            return new Reply(status, headers, body);
        }
    }

    /** One request as the server saw it. */
    record Seen(String method, long atNanos) {}

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-rpc");
        t.setDaemon(true);
        return t;
    });
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile Handler handler;

    private FakeRpcServer(Handler handler) throws IOException {
        this.handler = handler;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeRpcServer start(Handler handler) throws IOException {
        return new FakeRpcServer(handler);
    }

    /** A healthy node of {@code chainId} at {@code head} whose balance answer is {@code balance}. */
    static Handler node(long chainId, long head, long balance) {
        return (method, n) -> switch (method) {
            case "eth_chainId" -> Reply.result("\"0x" + Long.toHexString(chainId) + "\"");
            case "eth_blockNumber" -> Reply.result("\"0x" + Long.toHexString(head) + "\"");
            case "eth_getBlockByNumber" -> Reply.result(block(head));
            case "eth_getBalance" -> Reply.result("\"0x" + Long.toHexString(balance) + "\"");
            default -> Reply.result("null");
        };
    }

    static String block(long number) {
        return "{\"number\":\"0x" + Long.toHexString(number) + "\",\"hash\":\"0x" + "1".repeat(64) + "\",\"parentHash\":\"0x"
                + "2".repeat(64) + "\",\"timestamp\":\"0x5\",\"transactions\":[],\"uncles\":[]}";
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/" + KEY;
    }

    String label() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long count(String method) {
        return seen.stream().filter(s -> s.method().equals(method)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = METHOD.matcher(body);
            String method = m.find() ? m.group(1) : "?";
            seen.add(new Seen(method, System.nanoTime()));
            Reply reply = handler.answer(method, seen.size());
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
