package io.courier.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link LocalChainExtension} for a real local chain with this id. The same id within one test class
 * means the same chain; it is started on first use and stopped after the class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Chain {
    /** EVM chain id (and network id). */
    long id();

    /** Seconds between blocks; 0 mines one block per transaction. */
    int blockTime() default 0;
}
