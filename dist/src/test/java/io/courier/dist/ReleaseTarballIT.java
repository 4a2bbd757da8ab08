package io.courier.dist;

import static io.courier.dist.Release.exampleEnvironment;
import static io.courier.dist.Release.onlyJava;
import static io.courier.dist.Release.run;
import static io.courier.dist.Release.toolsOnly;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.courier.dist.Release.Result;
import io.courier.relayer.api.HealthRoutes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as an operator gets it: unpacked into an empty folder and run with nothing but a Java runtime
 * (a cleared environment, a PATH holding java or only the few tools the launcher uses). Every process is bounded in
 * time. Also the container recipe's parts that run without a Docker engine: the entrypoint, the healthcheck, and the
 * files the Dockerfile copies.
 */
class ReleaseTarballIT {

    private static final String VERSION = Release.VERSION;
    private static final Path DOCKER = Release.DOCKER;
    private static final Path JAVA_HOME = Release.JAVA_HOME;

    @TempDir
    static Path extracted;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        home = Release.unpack(extracted);
    }

    // ---- layout

    @Test
    void theTarballHoldsTheLauncherConfigUnitLicenceAndReadme() throws Exception {
        assertThat(home.resolve("bin/courier")).isRegularFile().isExecutable();
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/courier")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        for (String file : List.of("conf/node.conf.example", "conf/courier.env.example", "systemd/courier.service", "LICENSE", "README")) {
            assertThat(home.resolve(file)).as(file).isRegularFile();
            assertThat(Files.getPosixFilePermissions(home.resolve(file))).as("%s is no program", file)
                    .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        }
        assertThat(Files.readString(home.resolve("LICENSE"))).contains("Apache License").contains("Version 2.0, January 2004");
        assertThat(Files.readString(home.resolve("README"))).contains("bin/courier config validate").contains("systemctl enable --now courier");
    }

    @Test
    void libHoldsExactlyTheNodesRuntimeJars() throws Exception {
        Set<String> jars = fileNames(home.resolve("lib"));
        // the relayer's own runtime classpath (written by its build), and the relayer jar itself
        Set<String> expected = new TreeSet<>();
        for (String entry : Files.readString(Path.of(Release.property("courier.relayer.classpath"))).trim().split(java.io.File.pathSeparator)) {
            expected.add(Path.of(entry).getFileName().toString());
        }
        expected.add("courier-relayer-" + VERSION + ".jar");
        assertThat(jars).isEqualTo(expected);
        assertThat(jars).noneMatch(j -> j.matches("(?i).*(junit|assertj|awaitility|quicktheories|opentest4j|testkit|testing"
                + "|courier-contracts|courier-demo|courier-testkit|courier-dist|cassandra-all|-tests)\\S*\\.jar"));
        assertThat(jars).allMatch(j -> j.endsWith(".jar"));
    }

    @Test
    void theUnitRunsTheLauncherAsItsOwnUserHardened() throws Exception {
        List<String> lines = Files.readAllLines(home.resolve("systemd/courier.service")).stream().map(String::trim).toList();
        assertThat(lines).contains("User=courier", "Group=courier", "Restart=on-failure", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "StateDirectory=courier", "LogsDirectory=courier",
                "WorkingDirectory=/var/lib/courier", "Environment=COURIER_LOG_DIR=/var/log/courier",
                "EnvironmentFile=-/etc/courier/courier.env", "RestartPreventExitStatus=2",
                "ExecStart=/opt/courier/bin/courier run --config /etc/courier/node.conf");
        assertThat(lines).anyMatch(l -> l.matches("LimitNOFILE=\\d+"));
    }

    @Test
    void systemdAcceptsTheUnit(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed on this machine: the unit is checked by its keys only");
        // the unit as installed, pointing at this unpacked release (verify checks that ExecStart is an executable)
        String unit = Files.readString(home.resolve("systemd/courier.service")).replace("/opt/courier/", home + "/");
        Path copy = Files.writeString(dir.resolve("courier.service"), unit);
        Result r = run(List.of(analyze.toString(), "verify", copy.toString()), Map.of("PATH", "/usr/bin:/bin"), dir);
        // an unknown or misspelt key is only a warning (exit 0): any output is a finding
        assertThat(r.out() + r.err()).as("systemd-analyze verify output").isEmpty();
        assertThat(r.code()).isZero();
    }

    // ---- the launcher with nothing but Java

    @Test
    void versionIsThePomsWithOnlyJavaOnThePath(@TempDir Path elsewhere) throws Exception {
        Result r = courier(onlyJava(elsewhere), elsewhere, "--version");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("courier " + VERSION + "\n");
        // nothing written into the release (a read-only /opt): no log folder for a command that logs nothing
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void theLauncherFindsItsHomeThroughASymlinkAndJavaThroughJavaHome(@TempDir Path dir) throws Exception {
        Path link = Files.createDirectories(dir.resolve("usr/local/bin")).resolve("courier");
        Files.createSymbolicLink(link, home.resolve("bin/courier"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", dir.toString(), "PATH", toolsOnly(dir).toString(),
                "JAVA_HOME", JAVA_HOME.toString()));
        Result r = run(List.of(link.toString(), "--version"), env, dir);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("courier " + VERSION + "\n");
    }

    @Test
    void withoutAnyJavaTheLauncherSaysSo(@TempDir Path dir) throws Exception {
        Result r = courier(Map.of("HOME", dir.toString(), "PATH", toolsOnly(dir).toString()), dir, "--version");
        assertThat(r.code()).isEqualTo(127);
        assertThat(r.err()).contains("no Java runtime").contains("JAVA_HOME");

        r = courier(Map.of("HOME", dir.toString(), "PATH", toolsOnly(dir).toString(), "JAVA_HOME", dir.toString()), dir, "--version");
        assertThat(r.code()).isEqualTo(127);
        assertThat(r.err()).contains("JAVA_HOME is " + dir);
    }

    @Test
    void theExampleConfigIsValidWithTheExampleEnvironment(@TempDir Path dir) throws Exception {
        Map<String, String> env = onlyJava(dir);
        Map<String, String> example = exampleEnvironment(home);
        env.putAll(example);
        Result r = courier(env, dir, "config", "validate", "--config", home.resolve("conf/node.conf.example").toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("ok: ").contains("chain 11155111 sepolia").contains("chain 84532 base-sepolia")
                .contains("validator threshold 2 of 3, 1 local key(s) from COURIER_VALIDATOR_KEYS[0]")
                .contains("submitter key from COURIER_SUBMITTER_KEY")
                .contains("admin token from COURIER_ADMIN_TOKEN");
        for (String secret : List.of("COURIER_VALIDATOR_KEYS", "COURIER_SUBMITTER_KEY", "COURIER_ADMIN_TOKEN", "COURIER_RPC_URL_SEPOLIA")) {
            assertThat(r.out()).as("%s printed", secret).doesNotContain(example.get(secret).replace("0x", ""));
        }
    }

    @Test
    void theExampleConfigWithoutItsEnvironmentNamesTheMissingVariable(@TempDir Path dir) throws Exception {
        Result r = courier(onlyJava(dir), dir, "config", "validate", "--config", home.resolve("conf/node.conf.example").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("invalid config: ").contains("COURIER_RPC_URL_SEPOLIA").doesNotContain("\tat ");
    }

    @Test
    void aBrokenConfigIsRefusedByValidateAndRunNamingTheKey(@TempDir Path dir) throws Exception {
        String example = Files.readString(home.resolve("conf/node.conf.example"));
        assertThat(example).contains("threshold = 2");
        Path broken = Files.writeString(dir.resolve("node.conf"), example.replace("threshold = 2", "threshold = 5"));
        Map<String, String> env = onlyJava(dir);
        env.putAll(exampleEnvironment(home));
        for (String command : List.of("config validate", "run")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--config", broken.toString()));
            Result r = courier(env, dir, args.toArray(String[]::new));
            assertThat(r.code()).as("exit code of %s", command).isEqualTo(2);
            assertThat(r.err()).as("error of %s", command).contains("invalid config: courier.validator.threshold: 5 exceeds the 3 validators");
        }
    }

    @Test
    void anUnknownLogFormatIsRefusedBeforeJavaStarts(@TempDir Path dir) throws Exception {
        Map<String, String> env = onlyJava(dir);
        env.put("COURIER_LOG_FORMAT", "yaml");
        Result r = courier(env, dir, "--version");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("COURIER_LOG_FORMAT must be text or json, was 'yaml'");
    }

    // ---- the container recipe, without a Docker engine

    @Test
    void theEntrypointRunsTheNodeByDefaultAndAddsTheConfigWhereACommandNeedsOne(@TempDir Path dir) throws Exception {
        Path stub = stubHome(dir);
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "COURIER_HOME", stub.toString(),
                "COURIER_CONFIG", "/cfg/node.conf"));
        Map<List<String>, List<String>> expected = new LinkedHashMap<>();
        expected.put(List.of(), List.of("run", "--config", "/cfg/node.conf"));
        expected.put(List.of("run"), List.of("run", "--config", "/cfg/node.conf"));
        expected.put(List.of("run", "--config", "/other.conf"), List.of("run", "--config", "/other.conf"));
        expected.put(List.of("run", "--config=/other.conf"), List.of("run", "--config=/other.conf"));
        expected.put(List.of("config", "validate"), List.of("config", "validate", "--config", "/cfg/node.conf"));
        expected.put(List.of("config", "--help"), List.of("config", "--help"));
        expected.put(List.of("chain", "status", "5"), List.of("chain", "status", "5", "--config", "/cfg/node.conf"));
        expected.put(List.of("chain", "resume", "5", "--config", "/x"), List.of("chain", "resume", "5", "--config", "/x"));
        expected.put(List.of("--version"), List.of("--version"));
        expected.put(List.of("--help"), List.of("--help"));
        expected.put(List.of("run", "with space"), List.of("run", "with space", "--config", "/cfg/node.conf"));
        for (Map.Entry<List<String>, List<String>> e : expected.entrySet()) {
            Result r = entrypoint(env, dir, e.getKey());
            assertThat(r.code()).as("exit of %s: %s", e.getKey(), r.err()).isZero();
            assertThat(r.out().lines().toList()).as("courier's arguments for %s", e.getKey())
                    .containsExactlyElementsOf(withMarker(e.getValue()));
        }
        // anything else is executed as given (a shell in the container)
        Result shell = entrypoint(env, dir, List.of("sh", "-c", "echo not courier"));
        assertThat(shell.out()).isEqualTo("not courier\n");
    }

    @Test
    void theEntrypointReadsValidatorKeysFromAMountedFile(@TempDir Path dir) throws Exception {
        Path stub = stubHome(dir);
        Path keys = Files.writeString(dir.resolve("validator.hex"), " 0xaaaa,\n0xbbbb \n");
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "COURIER_HOME", stub.toString(),
                "COURIER_VALIDATOR_KEYS_FILE", keys.toString()));
        Result r = entrypoint(env, dir, List.of("--version"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("COURIER_VALIDATOR_KEYS=0xaaaa,0xbbbb\n");

        env.put("COURIER_VALIDATOR_KEYS_FILE", dir.resolve("absent.hex").toString());
        r = entrypoint(env, dir, List.of("--version"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("COURIER_VALIDATOR_KEYS_FILE=" + dir.resolve("absent.hex") + " is not a readable file");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void theEntrypointRunsTheRealRelease(@TempDir Path dir) throws Exception {
        Map<String, String> env = onlyJava(dir);
        env.putAll(exampleEnvironment(home));
        env.put("COURIER_HOME", home.toString());
        env.put("COURIER_CONFIG", home.resolve("conf/node.conf.example").toString());
        Result version = entrypoint(env, dir, List.of("--version"));
        assertThat(version.out()).isEqualTo("courier " + VERSION + "\n");
        Result validate = entrypoint(env, dir, List.of("config", "validate"));
        assertThat(validate.err()).isEmpty();
        assertThat(validate.code()).isZero();
        assertThat(validate.out()).startsWith("ok: " + home.resolve("conf/node.conf.example"));
    }

    @Test
    void theHealthcheckPassesOnlyWhenReadyzAnswers200(@TempDir Path dir) throws Exception {
        Path script = DOCKER.resolve("docker-healthcheck.sh");
        assertThat(Files.readString(script)).contains("GET " + HealthRoutes.READYZ + " ");
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            int code = exchange.getRequestURI().getPath().equals(HealthRoutes.READYZ) ? status.get() : 404;
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "COURIER_API_PORT", Integer.toString(server.getAddress().getPort()));
            assertThat(run(List.of(script.toString()), env, dir).code()).as("ready").isZero();
            status.set(503);
            assertThat(run(List.of(script.toString()), env, dir).code()).as("not ready").isNotZero();
        } finally {
            server.stop(0);
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(run(List.of(script.toString()), Map.of("PATH", "/usr/bin:/bin", "COURIER_API_PORT", Integer.toString(closed)), dir).code())
                .as("nothing listening").isNotZero();
    }

    @Test
    void everyFileTheDockerfileCopiesIsInItsBuildContext() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Path context = DOCKER.getParent(); // `docker build -f dist/docker/Dockerfile ... dist`
        Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(.+)$").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            List<String> parts = List.of(copy.group(1).trim().split("\\s+"));
            for (String source : parts.subList(0, parts.size() - 1)) {
                Path file = context.resolve(source.replace("${COURIER_VERSION}", VERSION));
                assertThat(file).as("COPY source %s", source).exists();
                copies++;
            }
        }
        assertThat(copies).as("COPY sources found").isGreaterThanOrEqualTo(3);
        assertThat(dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre AS unpack$")
                .containsPattern("(?m)^FROM eclipse-temurin:17-jre$")
                .containsPattern("(?m)^USER 10001:10001$")
                .containsPattern("(?m)^HEALTHCHECK .*docker-healthcheck\\.sh")
                .containsPattern("(?m)^ENTRYPOINT \\[\"/usr/local/bin/docker-entrypoint\\.sh\"\\]$");
        for (String script : List.of("docker-entrypoint.sh", "docker-healthcheck.sh")) {
            assertThat(DOCKER.resolve(script)).isExecutable();
        }
    }

    // ---- helpers

    private static Result courier(Map<String, String> env, Path cwd, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/courier").toString()));
        command.addAll(List.of(args));
        return run(command, env, cwd);
    }

    private static Result entrypoint(Map<String, String> env, Path cwd, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DOCKER.resolve("docker-entrypoint.sh").toString()));
        command.addAll(args);
        return run(command, env, cwd);
    }

    private static final String MARKER = "stub-courier";

    /** A COURIER_HOME whose bin/courier prints a marker, its arguments one a line, and COURIER_VALIDATOR_KEYS. */
    private static Path stubHome(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("stub/bin"));
        Path courier = Files.writeString(bin.resolve("courier"), """
                #!/bin/sh
                echo %s
                for a in "$@"; do echo "$a"; done
                if [ -n "${COURIER_VALIDATOR_KEYS:-}" ]; then echo "COURIER_VALIDATOR_KEYS=$COURIER_VALIDATOR_KEYS"; fi
                """.formatted(MARKER));
        courier.toFile().setExecutable(true);
        return dir.resolve("stub");
    }

    private static List<String> withMarker(List<String> args) {
        return Stream.concat(Stream.of(MARKER), args.stream()).toList();
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
