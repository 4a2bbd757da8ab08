package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.testkit.cassandra.CassandraLauncher;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins what the node is started with, without starting one. */
class LocalCassandraTest {

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
}
