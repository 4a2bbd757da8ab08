package io.courier.chain.web3j;

import io.courier.chain.message.Address;

import io.courier.chain.ChainRpcException;
import io.courier.chain.EndpointHealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.EndpointHealth.State;
import io.courier.chain.web3j.FakeRpcServer.Reply;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Web3jChainClient#create} with several endpoints against real loopback sockets: tiny HTTP servers that
 * answer 429 with Retry-After, 503, 401, wrong chain ids and lagging heads, a closed port and a silent one.
 * No timing thresholds that load could break: instants are bracketed by readings taken around a call, and the only
 * durations asserted are lower bounds (an endpoint is never called before its Retry-After).
 */
class EndpointPoolIT {

    private static final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.5, 4);
    private static final Address ADDRESS = Address.fromHex("0x00000000000000000000000000000000000000aa");

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final List<String> observed = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private FakeRpcServer server(FakeRpcServer.Handler handler) throws IOException {
        FakeRpcServer server = FakeRpcServer.start(handler);
        closeAfter.add(server);
        return server;
    }

    private Web3jChainClient client(EndpointPoolSettings pool, Duration timeout, String... urls) {
        ChainClientSettings settings = ChainClientSettings.of("it", 1001, List.of(urls))
                .withTimeout(timeout)
                .withBackoff(QUICK)
                .withEndpointPool(pool)
                .withObserver((chain, endpoint, method, outcome, nanos) -> observed.add(endpoint + " " + outcome));
        Web3jChainClient client = Web3jChainClient.create(settings, scheduler);
        closeAfter.add(0, client);
        return client;
    }

    /** Two failures in a row start a cooldown long enough that no test sees it end by accident. */
    private static EndpointPoolSettings pool() {
        return EndpointPoolSettings.defaults().withCooldown(Duration.ofSeconds(10), Duration.ofSeconds(20), 2);
    }

    /**
     * One failure starts the cooldown: whether a later call would try a failed endpoint again before its second
     * failure depends on measured latencies (a slow first answer loses its tie), so such tests would be flaky.
     */
    private static EndpointPoolSettings coolAtOnce() {
        return pool().withCooldown(Duration.ofSeconds(10), Duration.ofSeconds(20), 1);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long elapsedMillis(FakeRpcServer.Seen from, FakeRpcServer.Seen to) {
        return TimeUnit.NANOSECONDS.toMillis(to.atNanos() - from.atNanos());
    }

    @Test
    void a429WithRetryAfterInSecondsKeepsCallsAwayUntilThen() throws Exception {
        FakeRpcServer.Handler healthy = FakeRpcServer.node(1001, 100, 10);
        FakeRpcServer a = server((method, n) -> n == 1
                ? Reply.status(429, Map.of("Retry-After", "3"), "{\"error\":\"rate limited\"}")
                : healthy.answer(method, n));
        AtomicReference<FakeRpcServer.Handler> bHandler = new AtomicReference<>(FakeRpcServer.node(1001, 100, 11));
        FakeRpcServer b = server((method, n) -> bHandler.get().answer(method, n));
        Web3jChainClient client = client(pool(), Duration.ofSeconds(5), a.url(), b.url());

        Instant before = Instant.now();
        assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11)); // failed over
        Instant after = Instant.now();
        assertThat(observed).containsExactly(a.label() + " rate_limited", b.label() + " ok");
        EndpointHealth barred = client.endpointHealth().get(0);
        assertThat(barred.state()).isEqualTo(State.RATE_LIMITED);
        // barred until 3 s after the 429 arrived, which was during the call (1 ms: the health view's rounding)
        assertThat(barred.inCooldownUntil()).isBetween(before.plusSeconds(3).minusMillis(1), after.plusSeconds(3).plusMillis(1));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.endpointHealth().get(0).state() == State.RATE_LIMITED && System.nanoTime() < deadline) {
            assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11));
            Thread.sleep(50);
        }
        assertThat(a.seen).as("a is not called while it asked to be left alone").hasSize(1);
        assertThat(client.endpointHealth().get(0).state()).isEqualTo(State.UP);

        bHandler.set((method, n) -> Reply.status(503, Map.of(), "down")); // now only a can answer
        assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.TEN);
        assertThat(a.seen).hasSize(2);
        // a lower bound only: load can only make the gap longer
        assertThat(elapsedMillis(a.seen.get(0), a.seen.get(1))).as("not called again before Retry-After")
                .isGreaterThanOrEqualTo(2_900);
    }

    @Test
    void a429WithRetryAfterAsAnHttpDateIsHonouredToo() throws Exception {
        // far enough ahead that no slow start reaches it; an HTTP date has whole seconds
        Instant until = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(until.atOffset(ZoneOffset.UTC));
        FakeRpcServer a = server((method, n) -> Reply.status(429, Map.of("Retry-After", date), "slow down"));
        FakeRpcServer b = server(FakeRpcServer.node(1001, 100, 11));
        Web3jChainClient client = client(pool(), Duration.ofSeconds(5), a.url(), b.url());
        Instant before = Instant.now();
        assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11));
        Instant after = Instant.now();
        for (int i = 0; i < 4; i++) {
            assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11));
        }
        assertThat(a.seen).hasSize(1);
        EndpointHealth barred = client.endpointHealth().get(0);
        assertThat(barred.state()).isEqualTo(State.RATE_LIMITED);
        // the date, up to the moments between reading the header and recording the failure (both within the call)
        assertThat(barred.inCooldownUntil()).isBetween(until.minusMillis(1), until.plus(Duration.between(before, after)).plusMillis(1));
    }

    @Test
    void theOnlyEndpointsShortRetryAfterIsWaitedOutWithoutABlockedThread() throws Exception {
        FakeRpcServer.Handler healthy = FakeRpcServer.node(1001, 100, 7);
        FakeRpcServer a = server((method, n) -> n == 1
                ? Reply.status(429, Map.of("Retry-After", "1"), "")
                : healthy.answer(method, n));
        Web3jChainClient client = client(pool(), Duration.ofSeconds(5), a.url());
        assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(7));
        assertThat(a.seen).hasSize(2);
        assertThat(elapsedMillis(a.seen.get(0), a.seen.get(1))).isGreaterThanOrEqualTo(900);
    }

    @Test
    void callsFailOverFromAClosedPortAndASilentOneAndTheDeadEndpointsCoolDown() throws Exception {
        FakeRpcServer c = server(FakeRpcServer.node(1001, 100, 3));
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String closedUrl = "http://127.0.0.1:" + closedPort() + "/v3/" + FakeRpcServer.KEY;
            String silentUrl = "http://127.0.0.1:" + silent.getLocalPort() + "/v3/" + FakeRpcServer.KEY;
            Web3jChainClient client = client(coolAtOnce(), Duration.ofMillis(300), closedUrl, silentUrl, c.url());

            assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(3));
            assertThat(observed).extracting(s -> s.substring(s.indexOf(' ') + 1)).containsExactly("transient", "timeout", "ok");
            for (int i = 0; i < 4; i++) {
                assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(3));
            }
            List<EndpointHealth> health = client.endpointHealth();
            assertThat(health).extracting(EndpointHealth::state)
                    .containsExactly(State.COOLDOWN, State.COOLDOWN, State.UP);
            assertThat(health).extracting(EndpointHealth::label).noneMatch(l -> l.contains(FakeRpcServer.KEY));
            assertThat(client.anyEndpointHealthy()).isTrue();
            assertThat(client.toString()).doesNotContain(FakeRpcServer.KEY);
        }
    }

    @Test
    void whenEveryEndpointIsDownCallsFailFastWithATypedError() throws Exception {
        Web3jChainClient client = client(pool(), Duration.ofSeconds(2),
                "http://127.0.0.1:" + closedPort() + "/a", "http://127.0.0.1:" + closedPort() + "/b");
        for (int i = 0; i < 2; i++) {
            assertThat(catchThrowableOfType(ChainRpcException.class, () -> TestSigner.await(client.head())).kind())
                    .isEqualTo(Kind.TRANSIENT);
        }
        assertThat(client.anyEndpointHealthy()).isFalse();

        List<Instant> cooldownsEnd = client.endpointHealth().stream().map(EndpointHealth::inCooldownUntil).toList();
        assertThat(cooldownsEnd).doesNotContainNull();
        int attemptsBefore = observed.size();
        ChainRpcException e = catchThrowableOfType(ChainRpcException.class, () -> TestSigner.await(client.head()));
        Instant failedAt = Instant.now();
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e).hasMessageContaining("no healthy endpoint");
        // fast: one last-resort request, no retry, and no waiting out a cooldown (the call ended before any did)
        assertThat(observed.size() - attemptsBefore).as("requests sent by the failing call").isEqualTo(1);
        assertThat(cooldownsEnd).allMatch(end -> failedAt.isBefore(end), "after the call failed");
    }

    @Test
    void a503FailsOverAndAnEndpointRefusingOurKeyIsLeftAlone() throws Exception {
        FakeRpcServer unavailable = server((method, n) -> Reply.status(503, Map.of(), "<html>maintenance</html>"));
        FakeRpcServer badKey = server((method, n) -> Reply.status(401, Map.of(), "{\"error\":\"invalid project id\"}"));
        FakeRpcServer good = server(FakeRpcServer.node(1001, 100, 5));
        Web3jChainClient client = client(coolAtOnce(), Duration.ofSeconds(5), unavailable.url(), badKey.url(), good.url());
        for (int i = 0; i < 4; i++) {
            assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(5));
        }
        assertThat(observed.subList(0, 3)).extracting(s -> s.substring(s.indexOf(' ') + 1))
                .containsExactly("transient", "invalid_request", "ok");
        assertThat(client.endpointHealth()).extracting(EndpointHealth::state)
                .containsExactly(State.COOLDOWN, State.COOLDOWN, State.UP);
        assertThat(unavailable.seen).hasSize(1);
        assertThat(badKey.seen).hasSize(1);
    }

    @Test
    void theChainIdIsVerifiedOnEveryEndpoint() throws Exception {
        FakeRpcServer right = server(FakeRpcServer.node(1001, 100, 1));
        FakeRpcServer wrong = server(FakeRpcServer.node(1, 100, 1));
        Web3jChainClient client = client(pool(), Duration.ofSeconds(5), right.url(), wrong.url());
        ChainRpcException e = catchThrowableOfType(ChainRpcException.class, () -> TestSigner.await(client.verifyChainId()));
        assertThat(e.kind()).isEqualTo(Kind.WRONG_CHAIN);
        assertThat(e).hasMessageContaining(wrong.label() + " serves chain id 1").hasMessageNotContaining(FakeRpcServer.KEY);
        assertThat(client.endpointHealth().get(1).state()).isEqualTo(State.DISABLED);
    }

    @Test
    void aLaggingEndpointIsDemotedAndPromotedWhenItCatchesUp() throws Exception {
        AtomicReference<FakeRpcServer.Handler> behindThenCaughtUp = new AtomicReference<>(FakeRpcServer.node(1001, 100, 1));
        FakeRpcServer a = server((method, n) -> n == 2
                ? Reply.status(503, Map.of(), "busy")
                : behindThenCaughtUp.get().answer(method, n));
        FakeRpcServer b = server(FakeRpcServer.node(1001, 150, 2));
        // a stale endpoint's head is checked once per cooldownInitial
        EndpointPoolSettings rules = pool().withCooldown(Duration.ofMillis(300), Duration.ofSeconds(2), 2).withMaxHeadLag(10);
        Web3jChainClient client = client(rules, Duration.ofSeconds(5), a.url(), b.url());

        assertThat(TestSigner.await(client.head()).number()).isEqualTo(100); // a
        assertThat(TestSigner.await(client.head()).number()).isEqualTo(150); // a is busy: b answers
        assertThat(client.endpointHealth().get(0).demotedAsStale()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(TestSigner.await(client.balance(ADDRESS))).isEqualTo(BigInteger.TWO); // the fresh one
        }
        assertThat(a.count("eth_getBalance")).isZero();

        behindThenCaughtUp.set(FakeRpcServer.node(1001, 150, 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (client.endpointHealth().get(0).demotedAsStale() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            TestSigner.await(client.balance(ADDRESS)); // calls drive the pool's head checks
        }
        EndpointHealth promoted = client.endpointHealth().get(0);
        assertThat(promoted.demotedAsStale()).as("promoted once its head caught up").isFalse();
        assertThat(promoted.head()).isEqualTo(150L);
        assertThat(promoted.state()).isEqualTo(State.UP);
        assertThat(a.count("eth_blockNumber")).isGreaterThanOrEqualTo(1); // the pool asked it
    }
}
