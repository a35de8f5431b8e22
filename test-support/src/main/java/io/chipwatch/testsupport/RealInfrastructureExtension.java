package io.chipwatch.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Set;

/**
 * JUnit 5 extension that hands tests real infrastructure as parameters (of test methods, lifecycle methods or
 * constructors):
 * <ul>
 *   <li>{@link KafkaService}, {@link InfluxService}: this JVM's shared instances ({@link TestInfrastructure#get()});</li>
 *   <li>{@link DedicatedKafka}, {@link DedicatedInflux}: fresh private instances, closed when the test (or, for
 *       a constructor or {@code @BeforeAll} parameter, the class) is done: for tests that stop and restart;</li>
 *   <li>{@link TestInfrastructure}: the shared infrastructure itself.</li>
 * </ul>
 * Use it with {@code @ExtendWith(RealInfrastructureExtension.class)} or {@link RealInfrastructure}.
 */
public final class RealInfrastructureExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealInfrastructureExtension.class);
    private static final Set<Class<?>> TYPES = Set.of(KafkaService.class, InfluxService.class, DedicatedKafka.class,
            DedicatedInflux.class, TestInfrastructure.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return TYPES.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == KafkaService.class) {
            return TestInfrastructure.get().kafka();
        }
        if (type == InfluxService.class) {
            return TestInfrastructure.get().influx();
        }
        if (type == TestInfrastructure.class) {
            return TestInfrastructure.get();
        }
        if (type == DedicatedKafka.class) {
            return closedWithContext(context, parameter, TestInfrastructure.dedicatedKafka());
        }
        if (type == DedicatedInflux.class) {
            return closedWithContext(context, parameter, TestInfrastructure.dedicatedInflux());
        }
        throw new ParameterResolutionException("unsupported parameter type " + type);
    }

    /** JUnit closes AutoCloseable values of a store when the store's test or class is done. */
    private static <T extends AutoCloseable> T closedWithContext(ExtensionContext context, ParameterContext parameter,
                                                                T service) {
        String key = parameter.getDeclaringExecutable() + "#" + parameter.getIndex() + "@" + System.identityHashCode(service);
        context.getStore(NAMESPACE).put(key, service);
        return service;
    }
}
