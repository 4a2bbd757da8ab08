package io.courier.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 access to one real Cassandra node per test JVM, with a keyspace per test class.
 *
 * <p>Why one node: a start costs about 10 s and 650 MB, so every class of a test run shares a single
 * {@link LocalCassandra} (named {@code shared}), started by the first class that asks for it and stopped when
 * the run ends (it lives in JUnit's root store, which closes it). Isolation comes from keyspaces instead: each
 * test class (each {@code @Nested} class too) gets its own, created on first use and named after the class,
 * see {@link #keyspaceName(Class)}. Tests of one class share that keyspace; nothing is dropped between tests.
 *
 * <p>Test methods, lifecycle methods and constructors may declare:
 * <ul>
 *   <li>{@link CqlSession}: a session using the class keyspace, shared by the class and closed after it
 *       (do not close it yourself);</li>
 *   <li>{@link Keyspace}: the class keyspace's name, for statements and for your own sessions;</li>
 *   <li>{@link LocalCassandra}: the shared node (contact point, {@link LocalCassandra#newSession}); do not stop
 *       or kill it: other classes use it. Tests about crashes start their own node.</li>
 * </ul>
 * Use it with {@link CassandraTest} or {@code @ExtendWith(CassandraExtension.class)}.
 */
public final class CassandraExtension implements ParameterResolver {

    /** The keyspace of the current test class. A record rather than a bare String, which other resolvers use. */
    public record Keyspace(String name) {
        public Keyspace {
            LocalCassandra.checkKeyspaceName(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraExtension.class);
    private static final String SHARED_NODE = "shared-node";
    private static final String KEYSPACE = "keyspace";
    private static final String SESSION = "session";

    /**
     * The root-store entry: the node plus which class claimed which keyspace name in this run, so two classes
     * with the same simple name in different packages do not share tables. Closed by JUnit at the end.
     */
    private record SharedNode(LocalCassandra node, Map<String, String> keyspaceOwners) implements AutoCloseable {
        @Override
        public void close() {
            node.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == CqlSession.class || type == Keyspace.class || type == LocalCassandra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        try {
            if (type == LocalCassandra.class) {
                return sharedNode(context).node();
            }
            if (type == Keyspace.class) {
                return keyspace(context);
            }
            if (type == CqlSession.class) {
                return session(context);
            }
        } catch (LocalPartException e) {
            throw new ParameterResolutionException("Cassandra for " + parameter.getParameter() + ": " + e.getMessage(), e);
        }
        throw new ParameterResolutionException("CassandraExtension cannot resolve " + type.getName());
    }

    private static SharedNode sharedNode(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SHARED_NODE,
                key -> new SharedNode(LocalCassandra.start(LocalCassandra.Options.named("shared")), new ConcurrentHashMap<>()),
                SharedNode.class);
    }

    private static Keyspace keyspace(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(KEYSPACE, key -> {
            SharedNode shared = sharedNode(classContext);
            Class<?> testClass = classContext.getRequiredTestClass();
            String name = keyspaceName(testClass);
            String owner = shared.keyspaceOwners().putIfAbsent(name, testClass.getName());
            if (owner != null && !owner.equals(testClass.getName())) {
                name = uniqueKeyspaceName(testClass);
                shared.keyspaceOwners().put(name, testClass.getName());
            }
            return new Keyspace(shared.node().createKeyspace(name));
        }, Keyspace.class);
    }

    private static CqlSession session(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        // a CqlSession is AutoCloseable: JUnit closes it when the class context ends
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(SESSION,
                key -> sharedNode(classContext).node().newSession(keyspace(classContext).name()),
                CqlSession.class);
    }

    /** The context of the test class: method and invocation contexts sit below it. */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        if (current.getTestClass().isEmpty()) {
            throw new ParameterResolutionException("CassandraExtension needs a test class context, got " + context.getUniqueId());
        }
        return current;
    }

    /**
     * A keyspace name from a class: its simple name (nested classes joined by {@code _}) in snake case,
     * e.g. {@code LocalCassandraIT} becomes {@code local_cassandra_it}. Names longer than 48 characters are cut
     * and end in a hash of the full class name, so they stay distinct.
     */
    public static String keyspaceName(Class<?> testClass) {
        String simple = testClass.getName().substring(testClass.getName().lastIndexOf('.') + 1);
        return keyspaceName(simple, testClass.getName());
    }

    /** The name for a class whose readable name another class of this run already took: name + hash. */
    static String uniqueKeyspaceName(Class<?> testClass) {
        String base = keyspaceName(testClass);
        String hash = "_" + hash(testClass.getName());
        return base.substring(0, Math.min(base.length(), LocalCassandra.MAX_KEYSPACE_LENGTH - hash.length())) + hash;
    }

    static String keyspaceName(String simpleName, String fullName) {
        String snake = snakeCase(simpleName);
        if (snake.isEmpty() || !Character.isLetter(snake.charAt(0))) {
            snake = "ks_" + snake;
        }
        if (snake.length() > LocalCassandra.MAX_KEYSPACE_LENGTH) {
            String hash = "_" + hash(fullName);
            snake = snake.substring(0, LocalCassandra.MAX_KEYSPACE_LENGTH - hash.length()) + hash;
            snake = snake.replaceAll("_+", "_");
        }
        return LocalCassandra.checkKeyspaceName(snake);
    }

    /** {@code OrderStoreIT} to {@code order_store_it}, {@code Outer$Inner} to {@code outer_inner}; only [a-z0-9_]. */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char previous = name.charAt(i - 1);
                boolean nextIsLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                if (Character.isLowerCase(previous) || Character.isDigit(previous)
                        || (Character.isUpperCase(previous) && nextIsLower)) {
                    out.append('_');
                }
            }
            out.append(c);
        }
        String lower = out.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return lower.replaceAll("_+", "_").replaceAll("^_|_$", "");
    }

    private static String hash(String value) {
        CRC32 crc = new CRC32();
        crc.update(value.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
