package io.chipwatch.testsupport;

import io.chipwatch.infra.ManagedProcess;

import java.nio.file.Path;

/**
 * One of infra's servers in a temporary folder, attached to this JVM: starting, stopping and whether it runs are
 * the server's own; closing it also deletes the folder.
 *
 * @param <P> the server ({@code LocalKafka}, {@code LocalInfluxDb})
 */
abstract class LocalService<P extends ManagedProcess<P>> implements ManagedService {

    private final Path dir;
    protected final P server;

    protected LocalService(Path dir, P server) {
        this.dir = dir;
        this.server = server;
    }

    /** {@code service}, started; its folder is deleted when it does not start. */
    static <S extends LocalService<?>> S started(S service) {
        LocalService<?> local = service;
        try {
            local.start();
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(local.dir);
            throw e;
        }
        return service;
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public void close() {
        server.close();
        TempDirs.deleteQuietly(dir);
    }
}
