package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import io.courier.chain.EndpointHealth;

import static io.courier.chain.ChainRpcException.Kind.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.EndpointHealth.State;
import io.courier.chain.web3j.EndpointSelector.Choice;
import io.courier.chain.web3j.EndpointSelector.Refuse;
import io.courier.chain.web3j.EndpointSelector.Send;
import io.courier.chain.web3j.EndpointSelector.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.web3j.protocol.Web3j;

/** The pool's bookkeeping alone, on a fake clock: nothing is sent except the head checks of stale endpoints. */
class EndpointPoolTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final long MS = 1_000_000L;

    private final FakeTime time = new FakeTime();
    private final List<ScriptedService> nodes = new ArrayList<>();
    private final List<RpcEndpoint> endpoints = new ArrayList<>();
    private EndpointPool pool;

    private EndpointPool pool(int size, EndpointPoolSettings settings) {
        return pool(size, settings, () -> 0.0);
    }

    private EndpointPool pool(int size, EndpointPoolSettings settings, DoubleSupplier random) {
        for (int i = 0; i < size; i++) {
            ScriptedService node = new ScriptedService();
            nodes.add(node);
            endpoints.add(new RpcEndpoint(String.valueOf((char) ('a' + i)), Web3j.build(node)));
        }
        pool = new EndpointPool("testnet", endpoints, settings, Duration.ofSeconds(5), null, time, time.clock(), random,
                () -> endpoints.forEach(e -> e.web3j().shutdown()));
        return pool;
    }

    private static EndpointPoolSettings defaults() {
        return EndpointPoolSettings.defaults(); // cooldown 2 s .. 60 s after 3 failures, no budget, lag 10, wait 2 s
    }

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    private RpcEndpoint a() {
        return endpoints.get(0);
    }

    private RpcEndpoint b() {
        return endpoints.get(1);
    }

    private RpcEndpoint pick(RpcEndpoint... tried) {
        Choice choice = pool.choose(Set.of(tried));
        assertThat(choice).isInstanceOf(Send.class);
        assertThat(((Send) choice).lastResort()).as("last resort").isFalse();
        return ((Send) choice).endpoint();
    }

    private void ok(RpcEndpoint endpoint, long latencyMs) {
        pool.reportAttempt(endpoint, Optional.empty(), latencyMs * MS);
    }

    private void fail(RpcEndpoint endpoint, Kind kind) {
        pool.reportAttempt(endpoint, Optional.of(RpcFailure.of(kind, "scripted")), 10 * MS);
    }

    private void failTimes(RpcEndpoint endpoint, Kind kind, int times) {
        for (int i = 0; i < times; i++) {
            fail(endpoint, kind);
        }
    }

    private EndpointHealth health(RpcEndpoint endpoint) {
        return pool.health().get(endpoints.indexOf(endpoint));
    }

    // ------------------------------------------------------------------------------------------------ preference

    @Test
    void tiesGoToTheFirstConfiguredEndpointSoTrafficDoesNotFlap() {
        pool(3, defaults());
        assertThat(pick()).isEqualTo(a());
        ok(a(), 100);
        ok(b(), 80);
        ok(endpoints.get(2), 90);
        for (int i = 0; i < 10; i++) {
            assertThat(pick()).isEqualTo(a()); // 100 ms is within 50 % + 20 ms of 80 ms
        }
    }

    @Test
    void aClearlyFasterOrMoreReliableEndpointWins() {
        pool(2, defaults());
        ok(a(), 400);
        ok(b(), 50);
        assertThat(pick()).isEqualTo(b());

        for (int i = 0; i < 6; i++) {
            ok(a(), 50);
            assertThat(pick()).isEqualTo(b()); // the average comes down, slowly
        }
        ok(a(), 50);
        assertThat(health(a()).latencyMs()).isLessThan(95.0); // within 50 % + 20 ms of b's 50 ms: a tie again
        assertThat(pick()).isEqualTo(a());

        fail(a(), TRANSIENT); // one failure: no cooldown yet, but a score worse than b's
        assertThat(health(a()).state()).isEqualTo(State.UP);
        assertThat(pick()).isEqualTo(b());
    }

    @Test
    void anIdleEndpointDriftsBackToACleanRecordAndIsPreferredAgain() {
        pool(2, defaults());
        ok(b(), 50);
        fail(a(), TRANSIENT);
        assertThat(health(a()).errorRate()).isEqualTo(0.5); // one failure over one failure plus the virtual success
        assertThat(pick()).isEqualTo(b());
        time.advance(Duration.ofMinutes(5));
        assertThat(health(a()).errorRate()).isLessThan(0.01);
        assertThat(health(b()).latencyMs()).isNull(); // forgotten
        assertThat(pick()).isEqualTo(a());
    }

    @Test
    void aRetryPrefersAnEndpointTheCallHasNotTried() {
        pool(3, defaults());
        assertThat(pick(a())).isEqualTo(b());
        assertThat(pick(a(), b())).isEqualTo(endpoints.get(2));
        assertThat(pick(a(), b(), endpoints.get(2))).isEqualTo(a()); // all tried: the best again
        assertThat(pool.canFailOver(Set.of(a()))).isTrue();
        assertThat(pool.canFailOver(Set.copyOf(endpoints))).isFalse();
    }

    // ---------------------------------------------------------------------------------------- cooldown, half-open

    @Test
    void failuresInARowStartACooldownAndCallsGoElsewhere() {
        pool(2, defaults());
        failTimes(a(), TRANSIENT, 2);
        ok(a(), 10); // an answer resets the count
        failTimes(a(), TIMEOUT, 2);
        assertThat(health(a()).state()).isEqualTo(State.UP);
        assertThat(health(a()).consecutiveFailures()).isEqualTo(2);

        fail(a(), TIMEOUT);
        EndpointHealth cooling = health(a());
        assertThat(cooling.state()).isEqualTo(State.COOLDOWN);
        assertThat(cooling.healthy()).isFalse();
        assertThat(cooling.inCooldownUntil()).isEqualTo(time.now().plusSeconds(2));
        assertThat(cooling.consecutiveFailures()).isEqualTo(3);
        for (int i = 0; i < 5; i++) {
            assertThat(pick()).isEqualTo(b());
        }
        assertThat(pool.canFailOver(Set.of(b()))).isFalse();
        assertThat(pool.anyHealthy()).isTrue();
    }

    @Test
    void afterTheCooldownOneTrialCallRestoresTheEndpoint() {
        pool(2, defaults());
        failTimes(a(), TRANSIENT, 3);
        time.advance(Duration.ofMillis(1_999));
        assertThat(pick()).isEqualTo(b());
        time.advance(Duration.ofMillis(1));
        assertThat(health(a()).state()).isEqualTo(State.HALF_OPEN);

        assertThat(pick()).isEqualTo(a()); // the trial
        assertThat(pick()).isEqualTo(b()); // only one trial at a time
        assertThat(pick()).isEqualTo(b());
        ok(a(), 20);
        assertThat(health(a()).state()).isEqualTo(State.UP);
        assertThat(health(a()).consecutiveFailures()).isZero();
        assertThat(health(a()).inCooldownUntil()).isNull();
    }

    @Test
    void aFailedTrialDoublesTheCooldownUpToTheBound() {
        pool(2, defaults().withCooldown(Duration.ofSeconds(2), Duration.ofSeconds(20), 3));
        failTimes(a(), TRANSIENT, 3);
        List<Duration> cooldowns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Duration cooldown = Duration.between(time.now(), health(a()).inCooldownUntil());
            cooldowns.add(cooldown);
            time.advance(cooldown);
            assertThat(pick()).isEqualTo(a());
            fail(a(), TRANSIENT);
        }
        assertThat(cooldowns).extracting(Duration::toSeconds).containsExactly(2L, 4L, 8L, 16L, 20L, 20L);

        time.advance(Duration.ofSeconds(20));
        assertThat(pick()).isEqualTo(a());
        ok(a(), 10);
        failTimes(a(), TRANSIENT, 3); // restored: the next cooldown starts small again
        assertThat(Duration.between(time.now(), health(a()).inCooldownUntil())).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void cooldownJitterOnlyShortens() {
        pool(2, defaults(), () -> 0.5);
        failTimes(a(), TRANSIENT, 3);
        assertThat(Duration.between(time.now(), health(a()).inCooldownUntil())).isEqualTo(Duration.ofMillis(1_800));
    }

    @Test
    void aTrialThatProvesNothingLeavesTheEndpointOnTrial() {
        pool(2, defaults());
        failTimes(a(), TRANSIENT, 3);
        time.advance(Duration.ofSeconds(2));
        assertThat(pick()).isEqualTo(a());
        fail(a(), BAD_RESPONSE);
        assertThat(health(a()).state()).isEqualTo(State.HALF_OPEN);
        assertThat(pick()).isEqualTo(a());
    }

    @Test
    void aTrialThatNeverReportsIsGivenUpAfterTwiceTheRequestTimeout() {
        pool(2, defaults());
        failTimes(a(), TRANSIENT, 3);
        time.advance(Duration.ofSeconds(2));
        assertThat(pick()).isEqualTo(a());
        time.advance(Duration.ofSeconds(9));
        assertThat(pick()).isEqualTo(b());
        time.advance(Duration.ofSeconds(1));
        assertThat(pick()).isEqualTo(a());
    }

    // ---------------------------------------------------------------------------------------------- caller faults

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"REVERTED", "INVALID_REQUEST", "NONCE_TOO_LOW", "ALREADY_KNOWN",
            "UNDERPRICED", "INSUFFICIENT_FUNDS", "RANGE_TOO_LARGE"})
    void callerFaultsNeverCountAgainstAnEndpoint(Kind kind) {
        pool(2, defaults());
        failTimes(a(), kind, 20);
        EndpointHealth h = health(a());
        assertThat(h.state()).isEqualTo(State.UP);
        assertThat(h.errorRate()).isZero();
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(pick()).isEqualTo(a());

        failTimes(a(), TRANSIENT, 2);
        fail(a(), kind); // the endpoint answered: it works
        fail(a(), TRANSIENT);
        assertThat(health(a()).state()).isEqualTo(State.UP);
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"BAD_RESPONSE", "REJECTED", "NOT_FOUND", "OVERLOADED", "CLOSED"})
    void outcomesThatSayNothingAboutTheEndpointAreIgnored(Kind kind) {
        pool(2, defaults());
        failTimes(a(), TRANSIENT, 2);
        failTimes(a(), kind, 5);
        assertThat(health(a()).consecutiveFailures()).isEqualTo(2);
        assertThat(health(a()).errorRate()).isEqualTo(2.0 / 3.0);
    }

    @Test
    void everyKindHasADecidedImpact() {
        RpcErrorClassifier classifier = new RpcErrorClassifier();
        EnumSet<Kind> failing = EnumSet.noneOf(Kind.class);
        for (Kind kind : Kind.values()) {
            if (classifier.impactOnEndpoint(RpcFailure.of(kind, "")) == RpcErrorClassifier.EndpointImpact.FAILED) {
                failing.add(kind);
            }
        }
        assertThat(failing).containsExactlyInAnyOrder(TRANSIENT, TIMEOUT, RATE_LIMITED);
    }

    @Test
    void anEndpointThatRefusesUsOverHttpCountsAsFailing() {
        pool(2, defaults());
        for (int i = 0; i < 3; i++) {
            pool.reportAttempt(a(), Optional.of(new RpcFailure(INVALID_REQUEST, "HTTP 401", null, null, 401, null)), MS);
        }
        assertThat(health(a()).state()).isEqualTo(State.COOLDOWN);
        assertThat(pick()).isEqualTo(b());
    }

    @Test
    void anEndpointServingAnotherChainIsNeverUsedAgain() {
        pool(2, defaults());
        fail(a(), WRONG_CHAIN);
        assertThat(health(a()).state()).isEqualTo(State.DISABLED);
        assertThat(pick()).isEqualTo(b());
        assertThat(pool.select()).isEqualTo(b());
        fail(b(), WRONG_CHAIN);
        assertThat(pool.choose(Set.of())).isInstanceOf(Refuse.class)
                .extracting(c -> ((Refuse) c).failure().kind()).isEqualTo(WRONG_CHAIN);
    }

    // ----------------------------------------------------------------------------------------------- Retry-After

    @Test
    void retryAfterBarsTheEndpointUntilThen() {
        pool(2, defaults());
        pool.reportAttempt(a(), Optional.of(new RpcFailure(RATE_LIMITED, "HTTP 429", null, null, 429, Duration.ofSeconds(30))), MS);
        EndpointHealth barred = health(a());
        assertThat(barred.state()).isEqualTo(State.RATE_LIMITED);
        assertThat(barred.inCooldownUntil()).isEqualTo(time.now().plusSeconds(30));
        assertThat(barred.consecutiveFailures()).isZero(); // the wait replaces the cooldown
        for (int i = 0; i < 29; i++) {
            assertThat(pick()).isEqualTo(b());
            time.advance(SECOND);
        }
        time.advance(Duration.ofMillis(999));
        assertThat(pick()).isEqualTo(b());
        time.advance(Duration.ofMillis(1));
        assertThat(pick()).isEqualTo(a());
    }

    @Test
    void retryAfterIsHonouredEvenWhenNothingElseIsLeft() {
        pool(2, defaults());
        pool.reportAttempt(a(), Optional.of(new RpcFailure(RATE_LIMITED, "", null, null, 429, Duration.ofSeconds(5))), MS);
        pool.reportAttempt(b(), Optional.of(new RpcFailure(TRANSIENT, "", null, null, 503, Duration.ofSeconds(3))), MS);
        assertThat(pool.anyHealthy()).isFalse();
        Choice choice = pool.choose(Set.of());
        assertThat(choice).isInstanceOf(Wait.class);
        assertThat(((Wait) choice).delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(((Wait) choice).ifTooLong().kind()).isEqualTo(RATE_LIMITED);
        assertThat(pool.select()).isIn(a(), b()); // select() never waits and never returns null
        time.advance(Duration.ofSeconds(3));
        assertThat(pick()).isEqualTo(b());
    }

    // ------------------------------------------------------------------------------------------------ rate limit

    @Test
    void anEndpointOutOfTokensIsSkippedAndWhenAllAreOutTheCallWaitsForTheEarliest() {
        pool(2, defaults().withRequestsPerSecond(2));
        assertThat(List.of(pick(), pick(), pick(), pick())).containsExactly(a(), a(), b(), b());
        Choice choice = pool.choose(Set.of());
        assertThat(choice).isInstanceOf(Wait.class);
        assertThat(((Wait) choice).delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(((Wait) choice).ifTooLong().kind()).isEqualTo(RATE_LIMITED);
        time.advance(Duration.ofMillis(500));
        assertThat(pick()).isEqualTo(a());
        assertThat(pick()).isEqualTo(b());
        time.advance(Duration.ofSeconds(10)); // the bucket holds one second's worth, no more
        assertThat(List.of(pick(), pick(), pick(), pick())).containsExactly(a(), a(), b(), b());
    }

    @Test
    void aFreshEndpointOutOfTokensIsWaitedForRatherThanAStaleOneUsed() {
        pool(2, defaults().withRequestsPerSecond(1));
        pool.reportHead(a(), 100);
        pool.reportHead(b(), 50);
        assertThat(pick()).isEqualTo(a());
        assertThat(pool.choose(Set.of())).isInstanceOf(Wait.class);
    }

    // ----------------------------------------------------------------------------------------------------- heads

    @Test
    void anEndpointTrailingTheBestHeadIsDemotedWhileAFreshOneIsHealthy() {
        pool(2, defaults());
        pool.reportHead(a(), 100);
        pool.reportHead(b(), 110);
        assertThat(health(a()).demotedAsStale()).isFalse(); // 10 behind is allowed
        assertThat(pick()).isEqualTo(a());

        pool.reportHead(b(), 111);
        assertThat(health(a()).demotedAsStale()).isTrue();
        assertThat(health(a()).head()).isEqualTo(100L);
        assertThat(health(a()).healthy()).isTrue(); // healthy, only not preferred
        assertThat(pick()).isEqualTo(b());

        failTimes(b(), TRANSIENT, 3);
        assertThat(pick()).isEqualTo(a()); // stale beats nothing

        pool.reportHead(a(), 105);
        assertThat(health(a()).demotedAsStale()).isFalse();
    }

    @Test
    void aStaleEndpointIsAskedForItsHeadAndPromotedWhenItCaughtUp() throws InterruptedException {
        pool(2, defaults());
        nodes.get(0).always(ScriptedService.result("\"0x78\"")); // 120
        pool.reportHead(a(), 100);
        pool.reportHead(b(), 120);
        assertThat(pick()).isEqualTo(b());
        assertThat(nodes.get(0).requests).isEmpty(); // not before cooldownInitial has passed
        time.advance(Duration.ofSeconds(2));
        assertThat(pick()).isEqualTo(b());
        for (int i = 0; i < 500 && health(a()).demotedAsStale(); i++) {
            Thread.sleep(10);
        }
        assertThat(nodes.get(0).requests).hasSize(1).first().asString().contains("eth_blockNumber");
        assertThat(health(a()).demotedAsStale()).isFalse();
        assertThat(health(a()).head()).isEqualTo(120L);
        assertThat(pick()).isEqualTo(a());
    }

    // ------------------------------------------------------------------------------------------------- all down

    @Test
    void whenNoEndpointIsHealthyTheLeastBadOneIsTheLastResort() {
        pool(3, defaults());
        failTimes(a(), TRANSIENT, 3);
        time.advance(Duration.ofMillis(500));
        failTimes(b(), TRANSIENT, 3);
        failTimes(endpoints.get(2), TIMEOUT, 3);
        assertThat(pool.anyHealthy()).isFalse();
        assertThat(pool.health()).extracting(EndpointHealth::state).containsOnly(State.COOLDOWN);
        assertThat(pool.health()).noneMatch(EndpointHealth::healthy);

        assertThat(pool.choose(Set.of())).isEqualTo(new Send(a(), true)); // its cooldown ends first
        assertThat(pool.select()).isEqualTo(a());
        assertThat(pool.canFailOver(Set.of())).isFalse();

        ok(a(), 30); // a last-resort call that works restores the endpoint
        assertThat(pool.anyHealthy()).isTrue();
        assertThat(pick()).isEqualTo(a());
    }

    @Test
    void theOnlyEndpointLeftIsNotALastResort() {
        pool(2, defaults());
        fail(a(), WRONG_CHAIN);
        failTimes(b(), TRANSIENT, 3);
        assertThat(pool.choose(Set.of())).isEqualTo(new Send(b(), false));
        assertThat(pool.anyHealthy()).isFalse();
    }

    @Test
    void poolsNeedDistinctLabelsAndAtLeastOneEndpoint() {
        RpcEndpoint one = new RpcEndpoint("x", Web3j.build(new ScriptedService()));
        RpcEndpoint two = new RpcEndpoint("x", Web3j.build(new ScriptedService()));
        assertThatThrownBy(() -> new EndpointPool("c", List.of(one, two), defaults(), SECOND, null, time, time.clock(),
                () -> 0.0, () -> { })).hasMessageContaining("two endpoints labelled x");
        assertThatThrownBy(() -> new EndpointPool("c", List.of(), defaults(), SECOND, null, time, time.clock(),
                () -> 0.0, () -> { })).hasMessageContaining("at least one endpoint");
    }

    @Test
    void aClosedPoolRefuses() {
        pool(1, defaults());
        pool.close();
        assertThat(pool.choose(Set.of())).isInstanceOf(Refuse.class)
                .extracting(c -> ((Refuse) c).failure().kind()).isEqualTo(CLOSED);
    }
}
