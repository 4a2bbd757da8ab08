package io.courier.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that talks to a real Cassandra node: shorthand for {@code @ExtendWith(CassandraExtension.class)}.
 * See {@link CassandraExtension} for what test and lifecycle methods can ask for.
 *
 * <pre>{@code
 * @CassandraTest
 * class OrderStoreIT {
 *     @Test
 *     void roundTrip(CqlSession session) { ... } // session bound to keyspace "order_store_it"
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(CassandraExtension.class)
public @interface CassandraTest {}
