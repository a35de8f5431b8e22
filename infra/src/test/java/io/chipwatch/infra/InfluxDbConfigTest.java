package io.chipwatch.infra;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InfluxDbConfigTest {

    private final String toml = new InfluxDbConfig(Path.of("/srv/influx"), 18086, 18088, false).render();

    @Test
    void foldersUnderTheDataFolder() {
        assertThat(toml).contains("dir = \"/srv/influx/meta\"")
                .contains("dir = \"/srv/influx/data\"")
                .contains("wal-dir = \"/srv/influx/wal\"");
    }

    @Test
    void bothListenersOnLoopback() {
        assertThat(toml).startsWith("# Written by Chipwatch")
                .contains("\nbind-address = \"127.0.0.1:18088\"\n")
                .contains("[http]\n  enabled = true\n  bind-address = \"127.0.0.1:18086\"");
    }

    @Test
    void quietAndLean() {
        assertThat(toml).contains("reporting-disabled = true")
                .contains("[monitor]\n  store-enabled = false")
                .contains("  log-enabled = false\n  pprof-enabled");
    }

    @Test
    void noProfilingEndpoints() {
        // /debug/pprof and /debug/vars answer anyone who reaches the port, without auth.
        assertThat(toml).contains("\n  pprof-enabled = false\n").doesNotContain("pprof-enabled = true");
    }

    @Test
    void authIsOffForTestsAndOnWhenAsked() {
        assertThat(toml).contains("\n  auth-enabled = false\n");
        assertThat(new InfluxDbConfig(Path.of("/srv/influx"), 18086, 18088, true).render())
                .contains("[http]\n  enabled = true\n  bind-address = \"127.0.0.1:18086\"\n  auth-enabled = true\n")
                .doesNotContain("auth-enabled = false");
    }

    @Test
    void topLevelKeysComeBeforeTheFirstTable() {
        // TOML: a key after [meta] would belong to [meta].
        String head = toml.substring(0, toml.indexOf('['));
        assertThat(head).contains("reporting-disabled").contains("bind-address");
    }
}
