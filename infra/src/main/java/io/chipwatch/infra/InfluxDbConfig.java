package io.chipwatch.infra;

import java.nio.file.Path;

/**
 * The configuration file {@code influxd run -config FILE} starts from: every folder under one data folder, both
 * listeners on loopback ports, and nothing that phones home or spends memory on self-monitoring. Pure rendering,
 * so it is unit-tested without starting anything.
 *
 * @param dataDir  holds {@code meta/}, {@code data/} and {@code wal/}
 * @param httpPort the HTTP API (/ping, /write, /query) on 127.0.0.1
 * @param rpcPort  the RPC service backup and restore use, on 127.0.0.1 (influxd always binds it)
 * @param authEnabled {@code [http] auth-enabled}: every request but {@code /ping} needs a user (the local stack);
 *                 off for tests' throwaway servers
 */
record InfluxDbConfig(Path dataDir, int httpPort, int rpcPort, boolean authEnabled) {

    String render() {
        Path dir = dataDir.toAbsolutePath();
        return String.join("\n",
                "# Written by Chipwatch (io.chipwatch.infra.LocalInfluxDb) at every start.",
                "reporting-disabled = true",
                "bind-address = " + quote("127.0.0.1:" + rpcPort),
                "",
                "[meta]",
                "  dir = " + quote(dir.resolve("meta")),
                "  retention-autocreate = true",
                "  logging-enabled = true",
                "",
                "[data]",
                "  dir = " + quote(dir.resolve("data")),
                "  wal-dir = " + quote(dir.resolve("wal")),
                "  index-version = \"inmem\"",
                "  wal-fsync-delay = \"0s\"",
                // One log line per query would drown the log of a stack with dashboards refreshing.
                "  query-log-enabled = false",
                "",
                "[coordinator]",
                "  write-timeout = \"10s\"",
                "",
                "[retention]",
                "  enabled = true",
                "  check-interval = \"30m0s\"",
                "",
                "[shard-precreation]",
                "  enabled = true",
                "",
                // The _internal database costs memory and disk and nobody here reads it.
                "[monitor]",
                "  store-enabled = false",
                "",
                "[subscriber]",
                "  enabled = false",
                "",
                "[http]",
                "  enabled = true",
                "  bind-address = " + quote("127.0.0.1:" + httpPort),
                "  auth-enabled = " + authEnabled,
                // One line per request: at tens of writes a second that is most of the log.
                "  log-enabled = false",
                "  pprof-enabled = false",
                "  https-enabled = false",
                "  unix-socket-enabled = false",
                "",
                "[logging]",
                "  format = \"logfmt\"",
                "  level = \"info\"",
                "  suppress-logo = true",
                "",
                "[continuous_queries]",
                "  enabled = true",
                "  log-enabled = true",
                "",
                "[ifql]",
                "  enabled = false",
                "");
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
