package io.courier.relayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code courier transfer retry|park|unpark}: what it sends to the node's admin API (path, bearer token, reason as
 * JSON), how it reports the answer, and its exit codes (0 done, 1 refused or unreachable, 2 asked wrong).
 */
class TransferCommandTest {

    private static final String ID = "0x" + "ab".repeat(32);
    private static final String TOKEN = "s3cret-admin-token-0123";

    private record Seen(String method, String path, String authorization, String body) {}

    private record Result(int code, String out, String err) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer node;
    private volatile int status = 200;
    private volatile String answer;

    @BeforeEach
    void start() throws Exception {
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        node.start();
    }

    @AfterEach
    void stop() {
        node.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + node.getAddress().getPort();
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CourierCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void parkSendsTheReasonWithTheTokenAndPrintsTheMove(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        answer = "{\"messageId\":\"" + ID + "\",\"action\":\"park\",\"previousStatus\":\"ATTESTED\",\"status\":\"PARKED\","
                + "\"by\":\"admin\",\"reason\":\"recipient \\\"v2\\\" upgrade\"}";
        Result r = run("transfer", "park", ID.toUpperCase().replace("0X", "0x"), "--reason", "recipient \"v2\" upgrade",
                "--url", url() + "/", "--token-file", token.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("transfer " + ID + ": ATTESTED -> PARKED (park by admin: recipient \"v2\" upgrade)");
        assertThat(seen).containsExactly(new Seen("POST", "/v1/admin/transfers/" + ID + "/park", "Bearer " + TOKEN,
                "{\"reason\":\"recipient \\\"v2\\\" upgrade\"}"));
    }

    @Test
    void theNodeAndTokenComeFromTheConfig(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d");
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        Path config = Files.writeString(dir.resolve("node.conf"), """
                courier {
                  api { host = "0.0.0.0", port = %d, admin-token-file = "%s" }
                  chains = [ { name = a, chain-id = 1, rpc-url = "http://127.0.0.1:1", gateway = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1" } ]
                  validator { set = ["0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1", "0xffcf8fdee72ac11ab9b5d4f5f8a9e4e1f6a2b3c4"], threshold = 2, key-files = ["%s"] }
                }""".formatted(node.getAddress().getPort(), token, key));
        answer = "{\"messageId\":\"" + ID + "\",\"action\":\"retry\",\"previousStatus\":\"FAILED\",\"status\":\"ATTESTED\","
                + "\"by\":\"admin\",\"reason\":\"unpaused\"}";
        Result r = run("transfer", "retry", ID, "--reason", "unpaused", "--config", config.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/v1/admin/transfers/" + ID + "/retry");
            assertThat(s.authorization()).isEqualTo("Bearer " + TOKEN);
        });
    }

    @Test
    void aRefusalPrintsTheNodesDetailAndExitsOne(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        status = 409;
        answer = "{\"type\":\"urn:courier:problem:wrong-state\",\"title\":\"Conflict\",\"status\":409,"
                + "\"detail\":\"transfer " + ID + " is SUBMITTED and cannot be parked\",\"transferStatus\":\"SUBMITTED\"}";
        Result r = run("transfer", "park", ID, "--reason", "x", "--url", url(), "--token-file", token.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("park refused by the node (409): transfer " + ID + " is SUBMITTED and cannot be parked");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnreachableNodeExitsOne(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Result r = run("transfer", "unpark", ID, "--reason", "x", "--url", "http://127.0.0.1:" + closed, "--token-file", token.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("did not answer").doesNotContain("\tat ");
    }

    @Test
    void askedWrongExitsTwoAndSendsNothing(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), TOKEN);
        assertThat(run("transfer", "park", ID, "--url", url(), "--token-file", token.toString()).code()).isEqualTo(2); // no --reason
        assertThat(run("transfer", "park", ID, "--reason", " ", "--url", url(), "--token-file", token.toString()).code()).isEqualTo(2);
        Result badId = run("transfer", "park", "0x1234", "--reason", "x", "--url", url(), "--token-file", token.toString());
        assertThat(badId.code()).isEqualTo(2);
        assertThat(badId.err()).contains("invalid message id");
        assertThat(run("transfer", "park", ID, "--reason", "x", "--token-file", token.toString()).err()).contains("--config FILE");
        assertThat(run("transfer", "bogus", ID).code()).isEqualTo(2);
        assertThat(seen).isEmpty();
    }
}
