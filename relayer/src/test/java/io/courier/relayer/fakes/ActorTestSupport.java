package io.courier.relayer.fakes;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh actor test kit for each test (no actor or timer of one test reaches the next), and Awaitility's default
 * wait raised to a minute: a bound for a busy 2-core machine, never a timing assertion.
 */
public abstract class ActorTestSupport {

    static {
        Awaitility.setDefaultTimeout(Duration.ofMinutes(1));
    }

    protected ActorTestKit kit;

    @BeforeEach
    void startActorTestKit() {
        kit = ActorTestKit.create();
    }

    @AfterEach
    void stopActorTestKit() {
        kit.shutdownTestKit();
    }
}
