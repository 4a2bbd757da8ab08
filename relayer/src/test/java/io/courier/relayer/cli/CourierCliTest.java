package io.courier.relayer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --help} works on every command (it used to print "Missing required option" for {@code run}); the version; {@code config validate}. */
class CourierCliTest {

    private record Result(int code, String out, String err) {}

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
    void everyCommandAnswersHelpWithItsUsageAndExitCodeZero() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("run"), List.of("config"),
                List.of("config", "validate"), List.of("chain"), List.of("chain", "status"), List.of("chain", "resume"),
                List.of("transfer"), List.of("transfer", "retry"), List.of("transfer", "park"), List.of("transfer", "unpark"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Result r = run(args);
            assertThat(r.code()).as("exit code of %s --help", command).isZero();
            assertThat(r.out()).as("usage of %s", command).contains("Usage: courier" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
            assertThat(r.err()).as("errors of %s --help", command).doesNotContain("Missing required");
            assertThat(r.out()).as("exit codes in the usage of %s", command).contains("Exit codes:")
                    .containsPattern("\\s0\\s+done").containsPattern("\\s1\\s+failed while running")
                    .containsPattern("\\s2\\s+usage or config error");
        }
    }

    @Test
    void aFailureWhileRunningIsOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        // nothing listens on the config's Cassandra port (a port of our own, closed again)
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path config = config(dir, "key", "cassandra.contact-points = [\"127.0.0.1:" + closed + "\"]");
        Result r = run("chain", "status", "1", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
    }

    @Test
    void aMissingRequiredOptionIsStillAnErrorWithoutHelp() {
        Result r = run("run");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option").contains("--config");
    }

    @Test
    void theVersionIsTheOneMavenFilteredIn() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        // a release version or a snapshot, never the unfiltered placeholder nor a second hard-coded string
        assertThat(r.out().trim()).matches("courier \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?").isEqualTo("courier " + BuildVersion.current());
    }

    @Test
    void anUnfilteredVersionResourceIsRefused() {
        assertThatThrownBy(() -> BuildVersion.read(new java.io.ByteArrayInputStream("version=${project.version}".getBytes())))
                .hasMessageContaining("no filtered version");
    }

    private static final String KEY = "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d"; // of V1
    private static final String V1 = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1";
    private static final String V2 = "0xffcf8fdee72ac11ab9b5d4f5f8a9e4e1f6a2b3c4";

    private static Path config(Path dir, String submitter, String extra) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        Files.deleteIfExists(dir.resolve("node.conf"));
        return Files.writeString(dir.resolve("node.conf"), """
                courier {
                  chains = [
                    { name = a, chain-id = 1, rpc-url = "http://127.0.0.1:1", gateway = "%s", finality.confirmations = 5 }
                    { name = b, chain-id = 2, rpc-url = "https://rpc.example/key", gateway = "%s" }
                  ]
                  validator { set = ["%s", "%s"], threshold = 2, key-files = ["%s"] }
                  payment.policy = sponsored
                  %s
                  %s
                }""".formatted(V1, V2, V1, V2, key, submitter.isEmpty() ? "" : "submitter.key-file = \"" + key + "\"", extra));
    }

    @Test
    void configValidatePrintsWhatItCheckedWithoutSecrets(@TempDir Path dir) throws Exception {
        Result r = run("config", "validate", "--config", config(dir, "key", "").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("ok: ").contains("cassandra 127.0.0.1:9042").contains("validator threshold 2 of 2, 1 local key(s)")
                .contains("submitter key from courier.submitter.key-file").contains("chain 1 a").contains("chain 2 b")
                .contains("api cors off, max request 65536 bytes, request timeout PT20S")
                .doesNotContain(KEY);
        // nothing listens on either chain's endpoint: said, and not a failure; the URL's path (an API key) is not echoed
        assertThat(r.out()).contains("chain 1 a: validator set NOT checked").contains("chain 2 b: validator set NOT checked")
                .doesNotContain("rpc.example/key");
        Result offline = run("config", "validate", "--offline", "--config", config(dir, "key", "").toString());
        assertThat(offline.code()).isZero();
        assertThat(offline.out()).contains("not checked (--offline)").doesNotContain("chain 1 a: validator set");
    }

    @Test
    void configValidateNamesTheFirstInvalidKeyAndExitsTwo(@TempDir Path dir) throws Exception {
        Result r = run("config", "validate", "--config", config(dir, "key", "api.port = 70000").toString());
        assertThat(r.code()).isEqualTo(ConfigFile.INVALID);
        assertThat(r.err()).contains("invalid config: courier.api.port");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void configValidateRefusesWhatRunWouldRefuse(@TempDir Path dir) throws Exception {
        Result r = run("config", "validate", "--config", config(dir, "", "").toString());
        assertThat(r.code()).isEqualTo(ConfigFile.INVALID);
        assertThat(r.err()).contains("courier.submitter.key-file").contains("COURIER_SUBMITTER_KEY");
    }

    @Test
    void brokenHoconAndUnsetVariablesAreReportedNotThrown(@TempDir Path dir) throws Exception {
        Path syntax = Files.writeString(dir.resolve("syntax.conf"), "courier { api { port = 80 }\n");
        Result r = run("config", "validate", "--config", syntax.toString());
        assertThat(r.code()).isEqualTo(ConfigFile.INVALID);
        assertThat(r.err()).startsWith("invalid config: ").contains("syntax.conf, line 2: HOCON syntax error")
                .doesNotContain("at io.courier").doesNotContain("\tat ");

        Path unset = Files.writeString(dir.resolve("unset.conf"), "courier.node.name = ${COURIER_TEST_SURELY_UNSET_VARIABLE}\n");
        r = run("config", "validate", "--config", unset.toString());
        assertThat(r.code()).isEqualTo(ConfigFile.INVALID);
        assertThat(r.err()).contains("COURIER_TEST_SURELY_UNSET_VARIABLE");
    }
}
