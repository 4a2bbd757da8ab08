package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.courier.contracts.Gateway;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import io.courier.testkit.ProjectLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Issue 13's operator actions on a node run as a process, through {@code courier transfer park|unpark|retry} run as a
 * process too: a message over the node's gas cap ends UNDELIVERABLE; parked, it stays PARKED while the node delivers
 * later traffic and across a restart with a raised cap; unparked, it is UNDELIVERABLE again (where it was parked
 * from); retried, it is delivered, once. A message the destination gateway recorded as Failed (a payload for an
 * address without code) is retried once its recipient exists and delivered through {@code Gateway.retry}. Every action is in its history with who and why, and every answer read here
 * is checked against openapi.yaml ({@link NodeApi}).
 */
@CassandraTest
class AdminActionsIT {

    private static final long LOW_CAP = 500_000; // an 8,000-byte message's bound (~0.55M gas) is over it
    private static final long RAISED_CAP = 2_000_000;
    private static final String TOKEN = "it-admin-token-0123456789";
    /** An account nothing else uses: the address of its next contract is known before the contract exists. */
    private static final int LATE_DEPLOYER = 8;

    @Test
    void parkStaysThroughTrafficAndARestartUnparkReturnsAndRetryDeliversOnce(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                            @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("admin")) {
            int port = RelayerProcess.freePort();
            Path token = Files.writeString(dir.resolve("admin-token"), TOKEN);
            Path config = config(net, db, keyspace, dir, port, token, LOW_CAP);
            String api = "http://127.0.0.1:" + port;
            Path log = dir.resolve("relayer.log");

            Credentials user = LocalChain.account(DemoNetwork.USER);
            Gateway gateway = Gateway.load(net.network.on(RelayNetwork.ALPHA).gateway(), net.alpha.web3j(),
                    DemoNetwork.transactions(net.alpha, user), DemoNetwork.gas());
            List<TokenTraffic.Sent> ordinary = new ArrayList<>();
            String id;
            String failedId;
            try (RelayerProcess relayer = RelayerProcess.start(config, port, log)) {
                // to a contract whose handler does nothing: once under the cap it simply executes
                id = send(gateway, deployNoopRecipient(net.beta, DemoNetwork.DEPLOYER), 8_000);
                awaitStatus(api, id, "UNDELIVERABLE", Duration.ofSeconds(120));
                assertThat(view(api, id).path("failureReason").asText()).startsWith("OVER_GAS_CAP: ");

                Cli parked = cli(dir, "transfer", "park", id, "--reason", "waiting for the gas cap to be raised", "--config", config.toString());
                assertThat(parked.code()).as(parked.output()).isZero();
                assertThat(parked.output()).contains("UNDELIVERABLE -> PARKED");
                assertThat(view(api, id).path("status").asText()).isEqualTo("PARKED");

                // the node keeps working: a transfer sent after the park is delivered while the parked one stays
                ordinary.add(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT));
                awaitStatus(api, ordinary.get(0).messageId(), "DELIVERED", Duration.ofSeconds(120));
                assertThat(view(api, id).path("status").asText()).isEqualTo("PARKED");
            }

            // the operator raises the cap and restarts: the new node's sweep leaves the parked transfer alone too
            config = config(net, db, keyspace, dir, port, token, RAISED_CAP);
            try (RelayerProcess relayer = RelayerProcess.start(config, port, log)) {
                ordinary.add(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.TWO)));
                awaitStatus(api, ordinary.get(1).messageId(), "DELIVERED", Duration.ofSeconds(120));
                assertThat(view(api, id).path("status").asText()).isEqualTo("PARKED");
                assertThat(net.executionsOnDestinations()).doesNotContainKey(id);

                // FAILED on chain, then retried: a payload for an address without code is recorded Failed by the
                // gateway; once the recipient exists (deployed at the address the message named), an operator's
                // retry has the node deliver it through Gateway.retry (execute would revert on its replay bit)
                Credentials later = LocalChain.account(LATE_DEPLOYER);
                BigInteger laterNonce = net.beta.web3j().ethGetTransactionCount(later.getAddress(),
                        org.web3j.protocol.core.DefaultBlockParameterName.PENDING).send().getTransactionCount();
                String notYetDeployed = org.web3j.crypto.ContractUtils.generateContractAddress(later.getAddress(), laterNonce);
                failedId = send(gateway, notYetDeployed, 32);
                awaitStatus(api, failedId, "FAILED", Duration.ofSeconds(120));
                assertThat(deployNoopRecipient(net.beta, LATE_DEPLOYER)).isEqualToIgnoringCase(notYetDeployed);
                Cli retriedFailed = cli(dir, "transfer", "retry", failedId, "--reason", "recipient deployed", "--config", config.toString());
                assertThat(retriedFailed.code()).as(retriedFailed.output()).isZero();
                assertThat(retriedFailed.output()).contains("FAILED -> ATTESTED");
                awaitStatus(api, failedId, "DELIVERED", Duration.ofSeconds(120));

                Cli unparked = cli(dir, "transfer", "unpark", id, "--reason", "cap raised to 2M", "--config", config.toString());
                assertThat(unparked.code()).as(unparked.output()).isZero();
                assertThat(view(api, id).path("status").asText()).isEqualTo("UNDELIVERABLE");

                Cli retried = cli(dir, "transfer", "retry", id, "--reason", "cap raised to 2M", "--config", config.toString());
                assertThat(retried.code()).as(retried.output()).isZero();
                assertThat(retried.output()).contains("UNDELIVERABLE -> ATTESTED");
                awaitStatus(api, id, "DELIVERED", Duration.ofSeconds(120));

                // a delivered transfer cannot be parked: exit 1 with the node's reason
                Cli late = cli(dir, "transfer", "park", id, "--reason", "too late", "--config", config.toString());
                assertThat(late.code()).isEqualTo(1);
                assertThat(late.output()).contains("409").contains("DELIVERED");
                // the admin routes' problems conform to openapi.yaml (NodeApi checks every answer it reads)
                assertThat(adminPost(api, id, "park", TOKEN).statusCode()).isEqualTo(409);
                assertThat(adminPost(api, id, "retry", "not-the-admin-token-at-all").statusCode()).isEqualTo(401);
                assertThat(adminPost(api, "0x" + "ee".repeat(32), "unpark", TOKEN).statusCode()).isEqualTo(404);

                List<String> causes = new ArrayList<>();
                NodeApi.getJson(api + "/v1/transfers/" + id + "/history").path("history").forEach(e -> causes.add(e.path("cause").asText()));
                assertThat(causes).containsSubsequence(
                        "parked by admin: waiting for the gas cap to be raised",
                        "unparked by admin back to UNDELIVERABLE: cap raised to 2M",
                        "retry requested by admin: cap raised to 2M");
            }
            Map<String, Integer> executions = net.executionsOnDestinations();
            assertThat(executions.get(id)).as("executions of the retried message").isEqualTo(1);
            assertThat(executions.get(failedId)).as("executions of the failed message: its failure and its retry").isEqualTo(2);
            for (TokenTraffic.Sent s : ordinary) {
                assertThat(executions.get(s.messageId())).as("executions of %s", s.messageId()).isEqualTo(1);
            }
        }
    }

    private static Path config(RelayNetwork net, LocalCassandra db, CassandraExtension.Keyspace keyspace, Path dir, int port,
                               Path token, long cap) throws Exception {
        return RelayNetwork.writeConfig(ConfigFactory.parseString("""
                courier.api { port = %d, admin-token-file = "%s" }
                courier.submitter.max-gas-limit = %d
                """.formatted(port, token, cap)).withFallback(net.config(db, keyspace.name(), dir.resolve("keys"), 2)),
                dir.resolve("node.conf"));
    }

    private static java.net.http.HttpResponse<String> adminPost(String api, String id, String action, String token) throws Exception {
        return NodeApi.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/v1/admin/transfers/" + id + "/" + action))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\": \"checked against the document\"}")).build());
    }

        private static JsonNode view(String api, String id) throws Exception {
        return NodeApi.getJson(api + "/v1/transfers/" + id);
    }

    /** Waits for the API to answer {@code status} for {@code id} (a bound on the wait, not a timing assertion). */
    private static void awaitStatus(String api, String id, String status, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            var response = NodeApi.get(api + "/v1/transfers/" + id);
            last = response.statusCode() == 200 ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body())
                    .path("status").asText() : "HTTP " + response.statusCode();
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("transfer " + id + " not " + status + " within " + timeout + "; last " + last);
    }

    private static String send(Gateway gateway, String recipient, int payloadBytes) throws Exception {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 0x5a);
        TransactionReceipt receipt = gateway.send(BigInteger.valueOf(RelayNetwork.BETA), recipient, payload, BigInteger.ZERO).send();
        List<Gateway.MessageSentEventResponse> events = Gateway.getMessageSentEvents(receipt);
        assertThat(events).hasSize(1);
        return Numeric.toHexString(events.get(0).id);
    }

    /** {@code NoopRecipient} on {@code chain}, deployed by Ganache account {@code deployer}. */
    private static String deployNoopRecipient(LocalChain chain, int deployer) throws Exception {
        String bin;
        try (java.io.InputStream in = AdminActionsIT.class.getResourceAsStream("/io/courier/contracts/solc/NoopRecipient.bin")) {
            assertThat(in).as("NoopRecipient.bin on the classpath (contracts module)").isNotNull();
            bin = "0x" + new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
        org.web3j.protocol.core.methods.response.EthSendTransaction sent = DemoNetwork.transactions(chain, LocalChain.account(deployer))
                .sendTransaction(DemoNetwork.gas().getGasPrice(), BigInteger.valueOf(1_000_000), null, bin, BigInteger.ZERO);
        assertThat(sent.hasError()).as("deploying NoopRecipient: %s", sent.getError() == null ? "" : sent.getError().getMessage()).isFalse();
        return new org.web3j.tx.response.PollingTransactionReceiptProcessor(chain.web3j(), 200, 300)
                .waitForTransactionReceipt(sent.getTransactionHash()).getContractAddress();
    }

    private record Cli(int code, String output) {}

    /** {@code courier ARGS} as an operator runs it: its own JVM on the node's classpath. */
    private static Cli cli(Path dir, String... args) throws Exception {
        Path relayer = ProjectLayout.root().resolve("relayer/target");
        String classpath = relayer.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(relayer.resolve("runtime-classpath.txt")).trim();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Dcourier.log.dir=" + dir, "-cp", classpath, "io.courier.relayer.cli.CourierCli"));
        command.addAll(List.of(args));
        Path output = dir.resolve("cli-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("courier " + String.join(" ", args) + " did not end:\n" + Files.readString(output));
        }
        return new Cli(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
