package io.courier.chain.web3j;

import io.courier.chain.CallRequest;

import io.courier.chain.message.Address;

import io.courier.chain.ChainRpcException;
import io.courier.chain.EndpointHealth;

import static io.courier.chain.web3j.ScriptedService.error;
import static io.courier.chain.web3j.ScriptedService.fail;
import static io.courier.chain.web3j.ScriptedService.result;
import static io.courier.chain.web3j.ClientStages.await;
import static io.courier.chain.web3j.ClientStages.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.EndpointHealth.State;
import java.math.BigInteger;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;

/** The client's retries over an {@link EndpointPool} of scripted transports, on a fake clock. */
class EndpointPoolClientTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 3);
    private static final Address ADDRESS = Address.fromHex("0x00000000000000000000000000000000000000aa");

    private final FakeTime time = new FakeTime();
    private final TimeShiftingScheduler scheduler = new TimeShiftingScheduler(time);
    private final List<ScriptedService> nodes = new ArrayList<>();
    private final List<RpcEndpoint> endpoints = new ArrayList<>();
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private ChainClientSettings settings = ChainClientSettings.of("testnet", 1001, "http://127.0.0.1:1/key")
            .withBackoff(BACKOFF)
            .withTimeout(Duration.ofSeconds(5))
            .withObserver((chain, endpoint, method, outcome, nanos) -> observed.add(endpoint + " " + outcome));
    private EndpointPool pool;
    private Web3jChainClient client;

    private Web3jChainClient client(int size) {
        for (int i = 0; i < size; i++) {
            ScriptedService node = new ScriptedService();
            nodes.add(node);
            endpoints.add(new RpcEndpoint(String.valueOf((char) ('a' + i)), Web3j.build(node)));
        }
        pool = new EndpointPool(settings.name(), endpoints, settings.endpointPool(), settings.timeout(), settings.observer(),
                time, time.clock(), () -> 0.0, () -> endpoints.forEach(e -> e.web3j().shutdown()));
        client = new Web3jChainClient(settings, pool, scheduler);
        return client;
    }

    private ScriptedService node(int i) {
        return nodes.get(i);
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        scheduler.shutdownNow();
    }

    private EndpointHealth health(int i) {
        return client.endpointHealth().get(i);
    }

    @Test
    void aTransientFailureFailsOverAtOnceToTheNextEndpoint() {
        client(2);
        node(0).then(fail(new ConnectException("Connection refused")));
        node(1).then(result("\"0x10\""));
        assertThat(await(client.nonce(ADDRESS, false))).isEqualTo(16L);
        assertThat(scheduler.delaysNanos).containsExactly(0L); // no backoff before trying elsewhere
        assertThat(observed).containsExactly("a transient", "b ok");
        assertThat(health(0).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void aTimeoutFailsOverToo() {
        // long enough for the answering node on a loaded machine (100 ms flaked); the hung one costs one timeout
        settings = settings.withTimeout(Duration.ofSeconds(1));
        client(2);
        CountDownLatch never = new CountDownLatch(1);
        node(0).always(request -> {
            awaitQuietly(never);
            return "{}";
        });
        node(1).always(result("\"0x2\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.TWO);
        assertThat(observed).containsExactly("a timeout", "b ok");
        never.countDown();
    }

    @Test
    void whenEveryEndpointWasTriedRetriesWaitTheBackoffAndStayBounded() {
        client(2);
        node(0).always(fail(new ConnectException("refused")));
        node(1).always(error(-32603, "internal error"));
        ChainRpcException e = failure(client.blockByNumber(5));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(observed).containsExactly("a transient", "b transient", "a transient");
        assertThat(scheduler.delaysNanos).containsExactly(0L, 100_000_000L); // failover, then the first backoff delay
    }

    @Test
    void aSingleEndpointPoolRetriesAsBefore() {
        client(1);
        node(0).then(fail(new ConnectException("Connection refused")))
                .then(error(-32000, "header not found"))
                .then(result("\"0x10\""));
        assertThat(await(client.nonce(ADDRESS, false))).isEqualTo(16L);
        assertThat(scheduler.delaysNanos).containsExactly(100_000_000L, 200_000_000L);
        assertThat(observed).containsExactly("a transient", "a transient", "a ok");
        assertThat(client.anyEndpointHealthy()).isTrue();
    }

    @Test
    void aSingleEndpointInCooldownIsStillRetriedAsBefore() {
        client(1);
        node(0).always(fail(new ConnectException("Connection refused")));
        assertThat(failure(client.balance(ADDRESS)).attempts()).isEqualTo(3);
        assertThat(health(0).state()).isEqualTo(State.COOLDOWN);
        assertThat(client.anyEndpointHealthy()).isFalse();

        scheduler.delaysNanos.clear();
        node(0).then(fail(new ConnectException("Connection refused"))).then(result("\"0x1\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE); // no fail-fast: nothing else to use
        assertThat(scheduler.delaysNanos).containsExactly(100_000_000L);
        assertThat(health(0).state()).isEqualTo(State.UP);
    }

    @Test
    void aFailingEndpointGoesIntoCooldownAndLaterCallsStartElsewhere() {
        settings = settings.withEndpointPool(EndpointPoolSettings.defaults().withCooldown(Duration.ofSeconds(2),
                Duration.ofSeconds(60), 1)); // which endpoint a later call prefers would depend on measured latency
        client(2);
        node(0).always(fail(new ConnectException("refused")));
        node(1).always(result("\"0x1\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE);
        assertThat(health(0).state()).isEqualTo(State.COOLDOWN);
        observed.clear();
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE);
        assertThat(observed).containsExactly("b ok");

        time.advance(Duration.ofSeconds(2)); // cooldown over: the next call is a's trial, and it fails over
        observed.clear();
        node(0).always(result("\"0x3\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(3));
        assertThat(observed).containsExactly("a ok");
        assertThat(health(0).state()).isEqualTo(State.UP);
    }

    @Test
    void callerFaultsNeitherFailOverNorPenaliseTheEndpoint() {
        client(2);
        node(0).always(error(-32000, "execution reverted", "\"0x\""));
        for (int i = 0; i < 10; i++) {
            assertThat(failure(client.call(CallRequest.to(ADDRESS, "0x"))).kind()).isEqualTo(Kind.REVERTED);
        }
        node(0).then(error(-32000, "nonce too low")).then(result("null"));
        assertThat(failure(client.sendRawTransaction("0x01")).kind()).isEqualTo(Kind.NONCE_TOO_LOW);
        assertThat(node(1).requests).isEmpty();
        assertThat(health(0).state()).isEqualTo(State.UP);
        assertThat(health(0).errorRate()).isZero();
    }

    @Test
    void whenEveryEndpointIsDownCallsFailFastWithATypedError() {
        client(2);
        node(0).always(fail(new ConnectException("refused")));
        node(1).always(fail(new ConnectException("refused")));
        for (int i = 0; i < 3; i++) {
            failure(client.head());
        }
        assertThat(client.anyEndpointHealthy()).isFalse();
        assertThat(client.endpointHealth()).extracting(EndpointHealth::state).containsOnly(State.COOLDOWN);

        int sentBefore = node(0).requests.size() + node(1).requests.size();
        scheduler.delaysNanos.clear();
        ChainRpcException e = failure(client.head());
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.attempts()).isEqualTo(1); // the least bad endpoint was asked once, no retries, no delays
        assertThat(e).hasMessageContaining("no healthy endpoint");
        assertThat(node(0).requests.size() + node(1).requests.size()).isEqualTo(sentBefore + 1);
        assertThat(scheduler.delaysNanos).isEmpty();
    }

    @Test
    void retryAfterMovesTheCallElsewhereAndKeepsCallsAwayUntilThen() {
        client(2);
        node(0).then(fail(new HttpStatusException(429, Duration.ofSeconds(30), "{\"error\":\"slow down\"}")))
                .always(result("\"0xa\""));
        node(1).always(result("\"0xb\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11));
        assertThat(observed).containsExactly("a rate_limited", "b ok");
        assertThat(health(0).state()).isEqualTo(State.RATE_LIMITED);
        assertThat(health(0).inCooldownUntil()).isEqualTo(time.now().plusSeconds(30));

        for (int i = 0; i < 5; i++) {
            assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11));
        }
        assertThat(node(0).requests).hasSize(1);
        time.advance(Duration.ofMillis(29_999));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(11));
        assertThat(node(0).requests).hasSize(1);
        // long enough for both records to be forgotten, so that the first configured is preferred whatever the
        // measured latencies were
        time.advance(Duration.ofMinutes(5));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.TEN);
    }

    @Test
    void anEndpointRefusingOurKeyIsFailedOverFromButNeverRetried() {
        client(2);
        node(0).always(fail(new HttpStatusException(401, null, "invalid project id")));
        node(1).always(result("\"0x1\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE);
        assertThat(observed).containsExactly("a invalid_request", "b ok");

        client.close();
        client = null;
        nodes.clear();
        endpoints.clear();
        observed.clear();
        client(1);
        node(0).always(fail(new HttpStatusException(403, null, "forbidden")));
        ChainRpcException e = failure(client.balance(ADDRESS));
        assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
        assertThat(e.attempts()).isEqualTo(1);
    }

    @Test
    void aShortRetryAfterOnTheOnlyEndpointIsWaitedOutOnTheScheduler() {
        client(1);
        node(0).then(fail(new HttpStatusException(429, Duration.ofSeconds(1), "")))
                .then(result("\"0x5\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.valueOf(5));
        // the backoff delay (100 ms), then the rest of the Retry-After (900 ms)
        assertThat(scheduler.delaysNanos).containsExactly(100_000_000L, 900_000_000L);
        assertThat(node(0).requests).hasSize(2);
    }

    @Test
    void aRetryAfterBeyondTheWaitBoundFailsRateLimitedWithoutSendingAgain() {
        client(1);
        node(0).then(fail(new HttpStatusException(429, Duration.ofSeconds(60), "")));
        ChainRpcException e = failure(client.balance(ADDRESS));
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e).hasMessageContaining("Retry-After");
        assertThat(node(0).requests).hasSize(1);
        assertThat(observed).containsExactly("a rate_limited", "none rate_limited");
    }

    @Test
    void callsBeyondTheRequestBudgetWaitForATokenOnTheScheduler() {
        settings = settings.withEndpointPool(EndpointPoolSettings.defaults().withRequestsPerSecond(4));
        client(1);
        node(0).always(result("\"0x1\""));
        for (int i = 0; i < 8; i++) {
            assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE);
        }
        assertThat(node(0).requests).hasSize(8);
        assertThat(scheduler.delaysNanos).hasSize(4).allMatch(nanos -> nanos == 250_000_000L);
    }

    @Test
    void aRequestBudgetTooSmallForTheWaitBoundFailsWithoutSending() {
        settings = settings.withEndpointPool(EndpointPoolSettings.defaults().withRequestsPerSecond(0.1));
        client(1);
        node(0).always(result("\"0x1\""));
        assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE);
        ChainRpcException e = failure(client.balance(ADDRESS));
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.attempts()).isZero();
        assertThat(node(0).requests).hasSize(1);
    }

    @Test
    void headsAnsweredByAnEndpointDemoteItWhenItLags() {
        client(2);
        node(0).then(result(block(100)));
        assertThat(await(client.head()).number()).isEqualTo(100);
        pool.reportHead(endpoints.get(1), 150);
        assertThat(health(0).demotedAsStale()).isTrue();
        node(1).then(result(block(151)));
        assertThat(await(client.head()).number()).isEqualTo(151);
        assertThat(health(1).head()).isEqualTo(151L);
    }

    @Test
    void theChainIdIsCheckedOnEveryEndpoint() {
        client(3);
        node(0).then(result("\"0x3e9\""));
        node(1).then(result("\"0x1\""));
        node(2).then(result("\"0x3e9\""));
        ChainRpcException e = failure(client.verifyChainId());
        assertThat(e.kind()).isEqualTo(Kind.WRONG_CHAIN);
        assertThat(e).hasMessageContaining("endpoint b serves chain id 1, configured 1001");
        assertThat(health(1).state()).isEqualTo(State.DISABLED);
        node(0).always(result("\"0x1\""));
        node(2).always(result("\"0x1\""));
        for (int i = 0; i < 5; i++) {
            assertThat(await(client.balance(ADDRESS))).isEqualTo(BigInteger.ONE);
        }
        assertThat(node(1).requests).hasSize(1); // never again
    }

    @Test
    void anUnreachableEndpointDoesNotFailTheChainIdCheckIfAnotherAnswered() {
        settings = settings.withBackoff(Backoff.none());
        client(2);
        node(0).then(fail(new ConnectException("refused")));
        node(1).then(result("\"0x3e9\""));
        assertThat(await(client.verifyChainId())).isNull();

        node(0).then(fail(new ConnectException("refused")));
        node(1).then(fail(new ConnectException("refused")));
        assertThat(failure(client.verifyChainId()).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void settingsWithSeveralUrlsListEveryLabelButNoPath() {
        ChainClientSettings several = ChainClientSettings.of("testnet", 1001,
                List.of("https://a.example/v3/KEY1", "https://b.example/KEY2", "https://a.example/v3/KEY3"));
        assertThat(several.endpointLabels()).containsExactly("https://a.example", "https://b.example", "https://a.example#2");
        assertThat(several.toString()).doesNotContain("KEY");
        try (EndpointPool http = EndpointPool.http(several)) {
            assertThat(http.endpoints()).extracting(RpcEndpoint::label).containsExactlyElementsOf(several.endpointLabels());
            assertThat(http.toString()).doesNotContain("KEY");
        }
    }

    private static String block(long number) {
        return "{\"number\":\"0x" + Long.toHexString(number) + "\",\"hash\":\"0x" + "1".repeat(64) + "\",\"parentHash\":\"0x"
                + "2".repeat(64) + "\",\"timestamp\":\"0x5\",\"transactions\":[],\"uncles\":[]}";
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
