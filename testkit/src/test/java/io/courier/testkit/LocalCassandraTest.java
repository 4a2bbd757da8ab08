package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.testkit.cassandra.CassandraLauncher;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins what the node is started with, without starting one. */
class LocalCassandraTest {

    private static final String OPT_IN = "courier.testkit.build-missing";

    private static final LocalCassandra.Options RESOLVED = LocalCassandra.Options.named("unit")
            .dataDir(Path.of("/tmp/node dir")).nativePort(19042).storagePort(17000);

    @Test
    void yamlIsSingleTokenSelfSeededOnItsOwnPortsAndDirs() {
        String yaml = LocalCassandra.cassandraYaml(RESOLVED);

        assertThat(yaml).contains(
                "num_tokens: 1\n", "initial_token: 0\n", "endpoint_snitch: SimpleSnitch\n",
                "- seeds: '127.0.0.1:17000'\n", "listen_address: 127.0.0.1\n", "rpc_address: 127.0.0.1\n",
                "storage_port: 17000\n", "native_transport_port: 19042\n",
                "commitlog_directory: '/tmp/node dir/commitlog'\n", "  - '/tmp/node dir/data'\n",
                "hints_directory: '/tmp/node dir/hints'\n", "saved_caches_directory: '/tmp/node dir/saved_caches'\n",
                "cdc_raw_directory: '/tmp/node dir/cdc_raw'\n",
                "auto_snapshot: false\n", "authenticator: AllowAllAuthenticator\n",
                // acknowledged writes must survive SIGKILL: the crash test depends on it
                "commitlog_sync: batch\n");
        assertThat(yaml).doesNotContain("commitlog_sync_period");
    }

    @Test
    void yamlQuotesPathsWithQuotes() {
        String yaml = LocalCassandra.cassandraYaml(RESOLVED.dataDir(Path.of("/tmp/it's")));
        assertThat(yaml).contains("commitlog_directory: '/tmp/it''s/commitlog'");
    }

    @Test
    void logbackLogsInfoToTheFileNotDebug() {
        String xml = LocalCassandra.logbackXml(Path.of("/tmp/a&b/system.log"));
        assertThat(xml).contains("<file>/tmp/a&amp;b/system.log</file>", "<root level=\"INFO\">")
                .doesNotContain("DEBUG");
    }

    @Test
    void commandPutsTheLauncherFirstAndKeepsTheJava17Flags() {
        try (LocalCassandra node = new LocalCassandra(LocalCassandra.Options.named("unit-command"))) {
            List<String> command = node.command(Path.of("/opt/cassandra/lib"));

            assertThat(command.get(0)).endsWith("java");
            assertThat(command).containsSequence("-Xms256m", "-Xmx1G")
                    .containsAll(LocalCassandra.JAVA17_FLAGS)
                    .contains("-XX:TieredStopAtLevel=1", "-Dcassandra.shutdown_announce_in_ms=0",
                            "-Dcassandra.skip_wait_for_gossip_to_settle=0", "-Dcassandra-foreground=yes")
                    .anyMatch(arg -> arg.startsWith("-Dcassandra.config=file:///") && arg.endsWith("/conf/cassandra.yaml"))
                    .anyMatch(arg -> arg.startsWith("-Dlogback.configurationFile=") && arg.endsWith("logback.xml"));
            String classpath = command.get(command.indexOf("-cp") + 1);
            assertThat(classpath).endsWith(":/opt/cassandra/lib/*").doesNotStartWith("/opt/cassandra");
            assertThat(command.get(command.size() - 1)).isEqualTo(CassandraLauncher.class.getName());

            LocalCassandra.Options options = node.options();
            assertThat(options.nativePort()).isPositive().isNotEqualTo(options.storagePort());
            assertThat(options.storagePort()).isPositive();
            assertThat(node.dataDir()).startsWith(ProjectLayout.workDir()).isDirectory();
        }
    }

    @Test
    void closeDeletesOnlyAGeneratedDataDir(@org.junit.jupiter.api.io.TempDir Path own) {
        LocalCassandra generated = new LocalCassandra(LocalCassandra.Options.named("unit-temp"));
        generated.close();
        assertThat(generated.dataDir()).doesNotExist();

        Path given = own.resolve("node");
        new LocalCassandra(LocalCassandra.Options.named("unit-own").dataDir(given)).close();
        assertThat(given).isDirectory();
    }

    @Test
    void rejectsKeyspaceNamesCassandraWouldQuoteOrRefuse() {
        assertThat(LocalCassandra.checkKeyspaceName("orders_v2")).isEqualTo("orders_v2");
        for (String bad : new String[] {"Orders", "2fast", "with-dash", "", "a".repeat(49)}) {
            assertThatThrownBy(() -> LocalCassandra.checkKeyspaceName(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void missingServerJarsFailWithTheCommandToRunInsteadOfBuildingThem(@org.junit.jupiter.api.io.TempDir Path root) {
        String savedRoot = System.getProperty("courier.root");
        String savedLib = System.getProperty("courier.cassandra.lib");
        String savedOptIn = System.getProperty(OPT_IN);
        System.setProperty("courier.root", root.toString()); // a checkout whose distribution folder was never built
        System.clearProperty("courier.cassandra.lib");
        System.clearProperty(OPT_IN);
        try {
            // mvn is on the PATH here: a shell-out would fail differently ("building ... failed") after seconds
            assertThatThrownBy(LocalCassandra::libDir).isInstanceOf(LocalPartException.class)
                    .hasMessageStartingWith("the Cassandra server jars are missing")
                    .hasMessageContaining("run `mvn -B -q -pl testkit/cassandra-dist package` in " + root)
                    .hasMessageContaining("-D" + OPT_IN + "=true");
            assertThat(root.resolve("testkit")).doesNotExist();
        } finally {
            restore("courier.root", savedRoot);
            restore("courier.cassandra.lib", savedLib);
            restore(OPT_IN, savedOptIn);
        }
    }

    @Test
    void buildingMissingServerJarsIsAnExplicitOptIn(@org.junit.jupiter.api.io.TempDir Path root) {
        List<Path> builds = new java.util.ArrayList<>();
        LocalCassandra.DistributionBuild fake = (r, dist, lib) -> {
            builds.add(lib);
            try {
                java.nio.file.Files.createDirectories(lib);
                java.nio.file.Files.createFile(lib.resolve("cassandra-all-5.0.9.jar"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Path lib = root.resolve("testkit/cassandra-dist/target/lib");
        for (String value : new String[] {null, "", "false", "yes"}) {
            assertThatThrownBy(() -> LocalCassandra.libDir(() -> root, optIn(value), fake))
                    .as("-D%s=%s", LocalCassandra.BUILD_MISSING, value)
                    .isInstanceOf(LocalPartException.class).hasMessageContaining("mvn -B -q -pl testkit/cassandra-dist package");
        }
        assertThat(builds).as("builds without the opt-in").isEmpty();

        assertThat(LocalCassandra.libDir(() -> root, optIn("true"), fake)).isEqualTo(lib);
        assertThat(builds).containsExactly(lib);
        assertThat(LocalCassandra.libDir(() -> root, optIn("true"), fake)).as("built once, then found").isEqualTo(lib);
        assertThat(builds).hasSize(1);
    }

    private static java.util.function.UnaryOperator<String> optIn(String value) {
        return name -> LocalCassandra.BUILD_MISSING.equals(name) ? value : null;
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
