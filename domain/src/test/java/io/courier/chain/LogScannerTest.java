package io.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LogScannerTest {

    private static List<Long> blocksOf(List<ChainLog> logs) {
        return logs.stream().map(ChainLog::blockNumber).toList();
    }

    @Test
    void readsEveryBlockOnceInOrderAcrossRanges() {
        LogsOnlyClient node = new LogsOnlyClient(Long.MAX_VALUE);
        LogScanner scanner = new LogScanner(node, new LogRangePlanner(64, 8));
        List<ChainLog> logs = scanner.scan(LogsOnlyClient.ADDRESS, List.of(), 0, 99).toCompletableFuture().join();
        assertThat(blocksOf(logs)).containsExactlyElementsOf(LongStream.rangeClosed(0, 99).boxed().toList());
        // 8, then doubling up to the max of 64 for what is left
        assertThat(node.queries).containsExactly(new BlockRange(0, 7), new BlockRange(8, 23), new BlockRange(24, 55),
                new BlockRange(56, 99));
    }

    @Test
    void halvesUntilTheNodeAcceptsThenGrowsAgain() {
        LogsOnlyClient node = new LogsOnlyClient(10);
        LogScanner scanner = new LogScanner(node, LogRangePlanner.startingAt(40));
        List<ChainLog> logs = scanner.scan(LogsOnlyClient.ADDRESS, List.of(), 100, 139).toCompletableFuture().join();
        assertThat(blocksOf(logs)).containsExactlyElementsOf(LongStream.rangeClosed(100, 139).boxed().toList());
        assertThat(node.queries).containsExactly(
                new BlockRange(100, 139), // 40: too large
                new BlockRange(100, 119), // 20: too large
                new BlockRange(100, 109), // 10: ok, grow to 20
                new BlockRange(110, 129), // too large
                new BlockRange(110, 119), // ok
                new BlockRange(120, 139), // too large
                new BlockRange(120, 129), // ok
                new BlockRange(130, 139)); // ok
        assertThat(scanner.planner().size()).as("grown back after the last success, kept for the next scan").isEqualTo(40);
    }

    @Test
    void aSingleBlockTooLargeIsAnError() {
        LogsOnlyClient node = new LogsOnlyClient(0);
        LogScanner scanner = new LogScanner(node, LogRangePlanner.startingAt(4));
        assertThatThrownBy(() -> scanner.scan(LogsOnlyClient.ADDRESS, List.of(), 0, 3).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ChainRpcException.class)
                .hasMessageContaining("RANGE_TOO_LARGE");
        assertThat(node.queries).last().isEqualTo(new BlockRange(0, 0));
    }

    @Test
    void otherErrorsEndTheScanWithoutShrinking() {
        LogsOnlyClient node = new LogsOnlyClient(Long.MAX_VALUE);
        node.failure = range -> range.from() == 16 ? LogsOnlyClient.error(ChainRpcException.Kind.TIMEOUT, range) : null;
        LogScanner scanner = new LogScanner(node, LogRangePlanner.startingAt(16));
        assertThatThrownBy(() -> scanner.scan(LogsOnlyClient.ADDRESS, List.of(), 0, 40).toCompletableFuture().join())
                .cause().isInstanceOf(ChainRpcException.class).hasMessageContaining("TIMEOUT").hasMessageContaining("blocks 16..31");
        assertThat(scanner.planner().size()).isEqualTo(16);
    }

    @Test
    void anEmptySpanAsksNothing() {
        LogsOnlyClient node = new LogsOnlyClient(10);
        LogScanner scanner = new LogScanner(node, LogRangePlanner.startingAt(4));
        assertThat(scanner.scan(LogsOnlyClient.ADDRESS, List.of(), 11, 10).toCompletableFuture().join()).isEmpty();
        assertThat(node.queries).isEmpty();
    }

    @Test
    void manyRangesAnsweredSynchronouslyDoNotOverflowTheStack() {
        LogsOnlyClient node = new LogsOnlyClient(1);
        LogScanner scanner = new LogScanner(node, LogRangePlanner.startingAt(1));
        List<ChainLog> logs = scanner.scan(LogsOnlyClient.ADDRESS, List.of(), 0, 49_999).toCompletableFuture().join();
        assertThat(logs).hasSize(50_000);
    }
}
