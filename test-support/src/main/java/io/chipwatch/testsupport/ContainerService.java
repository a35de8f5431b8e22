package io.chipwatch.testsupport;

import io.chipwatch.infra.FreePorts;
import java.util.List;
import org.testcontainers.containers.GenericContainer;

/**
 * A server in a container, bound to a fixed host port picked at start, so that a {@link #stop()} and
 * {@link #start()} of the same container (a Docker stop and start, which keeps its file system and so its data)
 * come back at the same address.
 */
abstract class ContainerService implements ManagedService {

    private final GenericContainer<?> container;

    protected ContainerService(GenericContainer<?> container) {
        this.container = container;
    }

    /** Binds {@code containerPort} to a free host port, fixed for the container's life, and starts it. */
    protected static <C extends GenericContainer<?>> C startOnFreeHostPort(C container, int containerPort) {
        container.setPortBindings(List.of(FreePorts.pick() + ":" + containerPort));
        container.start();
        return container;
    }

    /** Returns once the restarted container's server answers. */
    protected abstract void awaitReady();

    @Override
    public synchronized void stop() {
        if (isRunning()) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(15).exec();
        }
    }

    @Override
    public synchronized void start() {
        if (!isRunning()) {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            awaitReady();
        }
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public void close() {
        container.stop();
    }
}
