package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import io.courier.chain.EndpointHealth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.EndpointHealth.State;
import io.courier.chain.web3j.EndpointSelector.Choice;
import io.courier.chain.web3j.EndpointSelector.Refuse;
import io.courier.chain.web3j.EndpointSelector.Send;
import io.courier.chain.web3j.EndpointSelector.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * Seeded random histories of outcomes, heads, Retry-Afters and passing time; after every step the pool's choice
 * is checked against the snapshot taken just before it. A failure names its seed and step.
 */
class EndpointPoolPropertyTest {

    private static final int SEEDS = 60;
    private static final int STEPS = 1_500;
    private static final Logger POOL_LOG = (Logger) LoggerFactory.getLogger(EndpointPool.class);
    private static Level level;

    @BeforeAll
    static void quiet() {
        level = POOL_LOG.getLevel();
        POOL_LOG.setLevel(Level.OFF); // tens of thousands of state changes
    }

    @AfterAll
    static void restore() {
        POOL_LOG.setLevel(level);
    }

    @Test
    void thePoolNeverChoosesAnUnusableEndpointWhileAHealthyOneExists() {
        int sends = 0;
        int lastResorts = 0;
        int waits = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random random = new Random(seed);
            int size = 2 + random.nextInt(3);
            double perSecond = random.nextBoolean() ? 0.0 : 2 + random.nextInt(20);
            EndpointPoolSettings settings = EndpointPoolSettings.defaults()
                    .withCooldown(Duration.ofMillis(200 + random.nextInt(800)), Duration.ofSeconds(5), 1 + random.nextInt(3))
                    .withRequestsPerSecond(perSecond)
                    .withMaxHeadLag(random.nextInt(4));
            FakeTime time = new FakeTime();
            List<RpcEndpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                // head checks of stale endpoints fail as BAD_RESPONSE (no script): they change no state checked here
                endpoints.add(new RpcEndpoint("e" + i, Web3j.build(new ScriptedService())));
            }
            EndpointPool pool = new EndpointPool("prop", endpoints, settings, Duration.ofMillis(300), null, time,
                    time.clock(), random::nextDouble, () -> endpoints.forEach(e -> e.web3j().shutdown()));
            List<RpcEndpoint> outstanding = new ArrayList<>();
            long head = 1_000;
            try {
                for (int step = 0; step < STEPS; step++) {
                    String where = "seed " + seed + " step " + step;
                    int op = random.nextInt(10);
                    if (op <= 1) {
                        time.advance(Duration.ofMillis(random.nextInt(700)));
                    } else if (op <= 4 && !outstanding.isEmpty()) {
                        RpcEndpoint endpoint = outstanding.remove(random.nextInt(outstanding.size()));
                        pool.reportAttempt(endpoint, randomOutcome(random), random.nextInt(300) * 1_000_000L);
                    } else if (op == 5) {
                        RpcEndpoint endpoint = endpoints.get(random.nextInt(size));
                        pool.reportAttempt(endpoint, randomOutcome(random), random.nextInt(300) * 1_000_000L);
                    } else if (op == 6) {
                        head += random.nextInt(3);
                        pool.reportHead(endpoints.get(random.nextInt(size)), head - random.nextInt(8));
                    } else {
                        Set<RpcEndpoint> tried = new HashSet<>();
                        endpoints.forEach(e -> {
                            if (random.nextInt(4) == 0) {
                                tried.add(e);
                            }
                        });
                        List<EndpointHealth> before = pool.health();
                        Choice choice = pool.choose(tried);
                        check(where, before, endpoints, tried, perSecond, choice);
                        if (choice instanceof Send send) {
                            sends++;
                            lastResorts += send.lastResort() ? 1 : 0;
                            outstanding.add(send.endpoint());
                        } else if (choice instanceof Wait) {
                            waits++;
                        }
                    }
                }
            } finally {
                pool.close();
            }
        }
        // the histories reach every branch, or the property says little
        assertThat(sends).isGreaterThan(10_000);
        assertThat(lastResorts).isGreaterThan(100);
        assertThat(waits).isGreaterThan(100);
    }

    private static void check(String where, List<EndpointHealth> before, List<RpcEndpoint> endpoints, Set<RpcEndpoint> tried,
                              double perSecond, Choice choice) {
        boolean anyUp = before.stream().anyMatch(h -> h.state() == State.UP);
        if (choice instanceof Send send) {
            EndpointHealth chosen = before.get(endpoints.indexOf(send.endpoint()));
            assertThat(chosen.state()).as(where + ": never a disabled or Retry-After endpoint")
                    .isNotIn(State.DISABLED, State.RATE_LIMITED);
            if (send.lastResort()) {
                assertThat(anyUp).as(where + ": last resort although an endpoint is up").isFalse();
            } else if (chosen.state() != State.UP && chosen.state() != State.HALF_OPEN) {
                // only a pool whose every other endpoint is disabled sends to a cooling endpoint without a last resort
                assertThat(before).as(where + ": in cooldown while another is healthy")
                        .allMatch(h -> h == chosen || h.state() == State.DISABLED);
            }
            if (chosen.demotedAsStale() && !send.lastResort()) {
                for (int i = 0; i < before.size(); i++) {
                    EndpointHealth other = before.get(i);
                    boolean comparable = !tried.contains(send.endpoint()) ? !tried.contains(endpoints.get(i)) : true;
                    assertThat(other.state() == State.UP && !other.demotedAsStale() && comparable)
                            .as(where + ": stale " + chosen.label() + " chosen while " + other.label() + " is fresh and up")
                            .isFalse();
                }
            }
        } else if (choice instanceof Wait wait) {
            assertThat(wait.delay().isNegative()).as(where + ": negative wait").isFalse();
            if (perSecond == 0.0) {
                assertThat(anyUp).as(where + ": waiting without a request budget although an endpoint is up").isFalse();
            }
        } else if (choice instanceof Refuse refuse) {
            assertThat(before).as(where + ": refused although an endpoint is enabled")
                    .allMatch(h -> h.state() == State.DISABLED);
        }
    }

    private static Optional<RpcFailure> randomOutcome(Random random) {
        return switch (random.nextInt(9)) {
            case 0, 1, 2 -> Optional.empty();
            case 3 -> Optional.of(RpcFailure.of(Kind.TRANSIENT, "down"));
            case 4 -> Optional.of(RpcFailure.of(Kind.TIMEOUT, "slow"));
            case 5 -> Optional.of(new RpcFailure(Kind.RATE_LIMITED, "429", null, null, 429,
                    random.nextBoolean() ? Duration.ofMillis(1 + random.nextInt(2_000)) : null));
            case 6 -> Optional.of(RpcFailure.of(Kind.REVERTED, "revert"));
            case 7 -> Optional.of(RpcFailure.of(Kind.BAD_RESPONSE, "garbage"));
            default -> Optional.of(random.nextInt(50) == 0 ? RpcFailure.of(Kind.WRONG_CHAIN, "other chain")
                    : RpcFailure.of(Kind.NONCE_TOO_LOW, "nonce"));
        };
    }
}
