package io.courier.relayer.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.finality.ChainCursor;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.store.CursorStore;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.node.CourierNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code courier chain status|resume ID --config FILE}: operator commands on a chain's durable state in Cassandra.
 * A running node notices a resume on its next poll (it re-reads the halt state while halted).
 */
@Command(name = "chain", mixinStandardHelpOptions = true, description = "Operator commands on a chain.", subcommands = {ChainCommand.Status.class, ChainCommand.Resume.class})
final class ChainCommand {

    abstract static class OnChain implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "The node's config file (for Cassandra and the chains).")
        Path config;

        @Parameters(index = "0", description = "Chain id.")
        long chainId;

        @Override
        public Integer call() throws Exception {
            Optional<NodeConfig> loaded = ConfigFile.load(config);
            if (loaded.isEmpty()) {
                return ConfigFile.INVALID;
            }
            NodeConfig node = loaded.get();
            if (node.chain(chainId).isEmpty()) {
                System.err.println("chain " + chainId + " is not in " + config);
                return 2;
            }
            try (CqlSession session = CourierNode.connect(node.cassandra())) {
                CursorStore cursors = CassandraStores.prepare(session, node.cassandra().keyspace()).cursors();
                return act(cursors);
            }
        }

        abstract int act(CursorStore cursors) throws Exception;

        static void print(long chainId, Optional<ChainCursor> cursor) {
            if (cursor.isEmpty()) {
                System.out.println("chain " + chainId + ": no cursor yet (never scanned)");
                return;
            }
            ChainCursor c = cursor.get();
            System.out.printf("chain %d: scanned to block %d (%s), finalized height %d, %s%n", chainId, c.lastScannedBlock(),
                    c.lastScannedHash(), c.finalizedHeight(), c.halted() ? "HALTED: " + c.haltReason() : "running");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a chain's cursor and halt state.")
    static final class Status extends OnChain {
        @Override
        int act(CursorStore cursors) throws Exception {
            print(chainId, cursors.load(chainId).toCompletableFuture().get(30, TimeUnit.SECONDS));
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a chain halted by a reorg deeper than its finality policy.")
    static final class Resume extends OnChain {
        @Override
        int act(CursorStore cursors) throws Exception {
            boolean stored = cursors.resume(chainId, Instant.now()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (!stored) {
                System.err.println("chain " + chainId + " has no cursor: nothing to resume");
                return 1;
            }
            print(chainId, cursors.load(chainId).toCompletableFuture().get(30, TimeUnit.SECONDS));
            return 0;
        }
    }
}
