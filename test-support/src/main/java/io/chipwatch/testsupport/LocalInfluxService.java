package io.chipwatch.testsupport;

import io.chipwatch.infra.LocalInfluxDb;

import java.nio.file.Path;

/** A {@link LocalInfluxDb} in a temporary folder, attached to this JVM; closing it deletes the folder. */
final class LocalInfluxService implements ManagedInflux {

    private final Path dir;
    private final LocalInfluxDb influx;

    private LocalInfluxService(Path dir, LocalInfluxDb influx) {
        this.dir = dir;
        this.influx = influx;
    }

    static LocalInfluxService launch() {
        Path dir = TempDirs.create("chipwatch-influxdb-");
        LocalInfluxDb influx = LocalInfluxDb.builder().dataDir(dir).build();
        try {
            influx.start();
        } catch (RuntimeException e) {
            TempDirs.deleteQuietly(dir);
            throw e;
        }
        return new LocalInfluxService(dir, influx);
    }

    @Override
    public String url() {
        return influx.url();
    }

    @Override
    public void createDatabase(String name) {
        influx.createDatabase(name);
    }

    @Override
    public void stop() {
        influx.stop();
    }

    @Override
    public void start() {
        influx.start();
    }

    @Override
    public boolean isRunning() {
        return influx.isRunning();
    }

    @Override
    public void close() {
        influx.close();
        TempDirs.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "local InfluxDB " + influx.url();
    }
}
