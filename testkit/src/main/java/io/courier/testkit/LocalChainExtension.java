package io.courier.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link LocalChain} parameters annotated with {@link Chain}. Chains belong to the test class: every
 * method of the class sees the same chain for the same id, and JUnit closes them (the store closes
 * {@link AutoCloseable} values) when the class is done, also when a test failed.
 *
 * <pre>{@code
 * @ExtendWith(LocalChainExtension.class)
 * class BridgeIT {
 *     @Test void relays(@Chain(id = 1001) LocalChain source, @Chain(id = 1002) LocalChain destination) { ... }
 * }
 * }</pre>
 */
public final class LocalChainExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalChainExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalChain.class && parameter.isAnnotated(Chain.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Chain wanted = parameter.findAnnotation(Chain.class)
                .orElseThrow(() -> new ParameterResolutionException("LocalChain parameters need @Chain(id = ...)"));
        ExtensionContext owner = classContext(context);
        String key = "chain-" + wanted.id();
        LocalChain chain = owner.getStore(NAMESPACE).getOrComputeIfAbsent(key,
                k -> LocalChain.start(LocalChain.Options.chainId(wanted.id()).blockTime(wanted.blockTime())
                        .name(owner.getRequiredTestClass().getSimpleName() + "-" + wanted.id())),
                LocalChain.class);
        if (chain.chainId() != wanted.id()) {
            throw new ParameterResolutionException("chain " + key + " has id " + chain.chainId());
        }
        return chain;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }
}
