package io.courier.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The release tarball under test (named by dist/pom.xml's failsafe settings), and running its programs bounded. */
final class Release {

    static final Duration BOUND = Duration.ofSeconds(90);
    static final String VERSION = property("courier.dist.version");
    static final Path TARBALL = Path.of(property("courier.dist.tarball"));
    static final Path DOCKER = Path.of(property("courier.dist.docker"));
    static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    private Release() {}

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run through failsafe (dist/pom.xml)");
        }
        return value;
    }

    /** Unpacks the tarball into {@code into} (empty) and returns the release's folder, the only thing in it. */
    static Path unpack(Path into) throws Exception {
        assertThat(TARBALL).as("the tarball `mvn package` makes").isRegularFile();
        Files.createDirectories(into);
        Result tar = run(List.of("tar", "-xzf", TARBALL.toString(), "-C", into.toString()), Map.of("PATH", "/usr/bin:/bin"), into);
        assertThat(tar.code()).as("tar: %s", tar.err()).isZero();
        try (Stream<Path> top = Files.list(into)) {
            // one folder named after the release, so unpacking next to another release cannot mix them
            assertThat(top.map(p -> p.getFileName().toString())).containsExactly("courier-" + VERSION);
        }
        return into.resolve("courier-" + VERSION);
    }

    record Result(int code, String out, String err) {}

    /** A cleared environment whose PATH has a java and the few tools the launcher uses, nothing of the build. */
    static Map<String, String> onlyJava(Path dir) throws IOException {
        return new HashMap<>(Map.of("HOME", dir.toString(), "PATH", JAVA_HOME.resolve("bin") + ":" + toolsOnly(dir)));
    }

    /** A folder with the POSIX tools the launcher calls and no java (this machine's /usr/bin has one). */
    static Path toolsOnly(Path dir) throws IOException {
        Path tools = dir.resolve("tools");
        if (!Files.isDirectory(tools)) {
            Files.createDirectories(tools);
            for (String tool : List.of("dirname", "ls")) {
                Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
            }
        }
        return tools;
    }

    /** conf/courier.env.example as a map: the documented example environment. */
    static Map<String, String> exampleEnvironment(Path home) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(home.resolve("conf/courier.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(env).containsKeys("COURIER_VALIDATOR_KEYS", "COURIER_SUBMITTER_KEY", "COURIER_ADMIN_TOKEN",
                "COURIER_RPC_URL_SEPOLIA", "COURIER_RPC_URL_BASE_SEPOLIA");
        return env;
    }

    /** Starts a process in a cleared environment, its output to files (no pipe to fill), stdin empty. */
    static Process start(List<String> command, Map<String, String> env, Path cwd, Path out, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Runs a process to its end, killed past {@link #BOUND}. */
    static Result run(List<String> command, Map<String, String> env, Path cwd) throws Exception {
        Path out = Files.createTempFile("courier-dist-", ".out");
        Path err = Files.createTempFile("courier-dist-", ".err");
        try {
            Process p = start(command, env, cwd, out, err);
            if (!p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not end within " + BOUND + "; output:\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
