package io.courier.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.courier.demo.DemoConfig;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.api.HealthRoutes;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/courier run} of the unpacked release, with only Java on the PATH, against two local chains with Courier
 * deployed and a Cassandra: the node gets ready, delivers a transfer, logs JSON lines into COURIER_LOG_DIR, and stops
 * cleanly on SIGTERM (what systemd and Docker send).
 */
@CassandraTest
class ReleaseRunIT {

    private static final long ALPHA = 3001;
    private static final long BETA = 3002;
    private static final Duration START_BOUND = Duration.ofSeconds(120);
    private static final Duration DELIVERY_BOUND = Duration.ofSeconds(120);

    @Test
    void theUnpackedReleaseRunsANodeThatDeliversAndStopsOnSigterm(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                  @TempDir Path dir) throws Exception {
        Path home = Release.unpack(dir.resolve("release"));
        List<LocalChain> chains = new ArrayList<>();
        Process node = null;
        List<ProcessHandle> family = List.of();
        Path out = dir.resolve("node.out");
        Path err = dir.resolve("node.err");
        try {
            for (long id : new long[] {ALPHA, BETA}) {
                chains.add(LocalChain.start(LocalChain.Options.chainId(id).blockTime(1).name("release-" + id)));
            }
            DemoNetwork network = DemoNetwork.deploy(chains, DemoNetwork.demoValidatorKeys(3), 2);
            TokenTraffic traffic = new TokenTraffic(network);
            BigInteger unit = BigInteger.TEN.pow(18);
            traffic.fundUser(unit.multiply(BigInteger.valueOf(1000)));

            int port = freePort();
            Map<String, Object> map = DemoConfig.map(network, db.contactPoint().getHostString() + ":" + db.contactPoint().getPort(),
                    keyspace.name(), port, 2, dir.resolve("keys"));
            Path config = Files.writeString(dir.resolve("node.conf"),
                    ConfigFactory.parseMap(map).root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false)));

            Path logs = dir.resolve("logs");
            Map<String, String> env = Release.onlyJava(dir);
            env.put("COURIER_LOG_DIR", logs.toString());
            env.put("COURIER_LOG_FORMAT", "json");
            env.put("COURIER_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
            node = Release.start(List.of(home.resolve("bin/courier").toString(), "run", "--config", config.toString()), env, dir, out, err);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitAnswer(http, base.resolve(HealthRoutes.READYZ), r -> r.statusCode() == 200, node, START_BOUND, out, err);

            TokenTraffic.Sent sent = traffic.lock(ALPHA, BETA, unit);
            HttpResponse<String> transfer = awaitAnswer(http, base.resolve("/v1/transfers/" + sent.messageId()),
                    r -> r.statusCode() == 200 && r.body().contains("\"DELIVERED\""), node, DELIVERY_BOUND, out, err);
            assertThat(transfer.body()).contains(sent.messageId());

            family = node.descendants().toList(); // a launcher that forgot to exec would leave these behind
            node.destroy(); // SIGTERM
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the node ends after SIGTERM").isTrue();
            // 143 = 128 + SIGTERM: the JVM ran the node's shutdown hook (the unit lists it in SuccessExitStatus)
            assertThat(node.exitValue()).as("exit code; stderr:\n%s", Files.readString(err)).isEqualTo(143);
            // and it was the node that ended, not only a shell in front of it (the launcher execs java)
            try {
                HttpResponse<String> after = http.send(HttpRequest.newBuilder(base.resolve(HealthRoutes.HEALTHZ))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                throw new AssertionError("the API still answers after the launcher ended: " + after.statusCode());
            } catch (java.io.IOException expected) {
                // nothing listens any more
            }

            // the file log is JSON lines (COURIER_LOG_FORMAT=json), the console human
            assertThat(logs.resolve("courier.log")).doesNotExist();
            List<String> lines = Files.readAllLines(logs.resolve("courier.json"));
            assertThat(lines).isNotEmpty();
            ObjectMapper json = new ObjectMapper();
            for (String line : lines) {
                JsonNode event = json.readTree(line);
                assertThat(event.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
                assertThat(event.has("formattedMessage")).as(line).isTrue();
            }
            assertThat(Files.readString(out)).contains("courier node demo-node running").doesNotContain("{\"");
        } finally {
            if (node != null && node.isAlive()) {
                family = node.descendants().toList();
                node.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            chains.forEach(LocalChain::close);
        }
    }

    private static HttpResponse<String> awaitAnswer(HttpClient http, URI uri, Predicate<HttpResponse<String>> done, Process node,
                                                    Duration bound, Path out, Path err) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        HttpResponse<String> last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!node.isAlive()) {
                throw new AssertionError("the node exited " + node.exitValue() + " while waiting for " + uri + ":\n"
                        + Files.readString(out) + Files.readString(err));
            }
            try {
                last = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (done.test(last)) {
                    return last;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(uri + " not as expected within " + bound + "; last answer: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()) + "\nnode output:\n" + Files.readString(out) + Files.readString(err));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
