package io.chipwatch.testsupport;

import io.chipwatch.infra.LocalInfluxDb;

import java.nio.file.Path;

/** A {@link LocalInfluxDb} in a temporary folder, attached to this JVM; closing it deletes the folder. */
final class LocalInfluxService extends LocalService<LocalInfluxDb> implements ManagedInflux {

    private LocalInfluxService(Path dir, LocalInfluxDb influx) {
        super(dir, influx);
    }

    static LocalInfluxService launch() {
        Path dir = TempDirs.create("chipwatch-influxdb-");
        return started(new LocalInfluxService(dir, LocalInfluxDb.builder().dataDir(dir).build()));
    }

    @Override
    public String url() {
        return server.url();
    }

    @Override
    public void createDatabase(String name) {
        server.createDatabase(name);
    }

    @Override
    public String toString() {
        return "local InfluxDB " + server.url();
    }
}
