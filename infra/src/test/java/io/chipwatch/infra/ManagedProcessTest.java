package io.chipwatch.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lifecycle every local server shares, on a shell script that plays the server. */
class ManagedProcessTest {

    @TempDir
    Path tmp;

    @Test
    void beforeTheFirstStartItHasItsOptionsButNoPid() {
        ShellServer server = ShellServer.builder("sleep 30").dataDir(tmp).port(19999).build();
        assertThat(server.isRunning()).isFalse();
        assertThat(server.port()).isEqualTo(19999);
        assertThat(server.port(1)).isZero();
        assertThat(server.logFile()).isEqualTo(tmp.resolve("shell.log"));
        assertThat(server.detached()).isFalse();
        assertThatThrownBy(server::pid).isInstanceOf(IllegalStateException.class)
                .hasMessage("shell server has not been started");
        server.stop(); // nothing to stop: no error
    }

    @Test
    void theBuilderChecksItsOptions() {
        assertThatThrownBy(() -> ShellServer.builder("true").port(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellServer.builder("true").secondPort(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellServer.builder("true").build()).isInstanceOf(NullPointerException.class)
                .hasMessage("dataDir is required");
    }

    @Test
    void startPicksFreePortsOnceAndARestartKeepsThemAndTheData() {
        Path log = tmp.resolve("logs/server.log");
        try (ShellServer server = ShellServer.builder("echo serving; touch ready; exec sleep 30")
                .dataDir(tmp.resolve("data")).logFile(log).build()) {
            assertThat(server.start()).isSameAs(server);
            assertThat(server.isRunning()).isTrue();
            int port = server.port();
            int second = server.port(1);
            assertThat(port).isPositive().isNotEqualTo(second);
            assertThat(second).isPositive();
            assertThat(tmp.resolve("data/server.conf")).hasContent("port=" + port);
            long pid = server.pid();
            assertThat(server.start().pid()).as("a second start does nothing").isEqualTo(pid);

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(ProcessControl.isAlive(pid)).isFalse();
            assertThat(server.pid()).as("the last pid").isEqualTo(pid);

            server.start();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.port(1)).isEqualTo(second);
            assertThat(server.pid()).isNotEqualTo(pid);
            assertThat(log).content().contains("serving");
        }
    }

    @Test
    void aServerThatExitsAtStartIsReportedWithTheEndOfItsLog() {
        ShellServer server = ShellServer.builder("echo 'bad setting on line 7'; exit 3").dataDir(tmp).build();
        assertThatThrownBy(server::start).isInstanceOf(InfraException.class)
                .hasMessageContaining("shell server exited at start (code 3)")
                .hasMessageContaining(tmp.resolve("shell.log").toString())
                .hasMessageContaining("bad setting on line 7");
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void aServerThatIsNotReadyInTimeIsStopped() {
        ShellServer server = ShellServer.builder("exec sleep 30").dataDir(tmp)
                .startTimeout(Duration.ofSeconds(1)).build();
        assertThatThrownBy(server::start).isInstanceOf(InfraException.class)
                .hasMessageContaining("shell server (pid " + server.pid() + ") is not ready after 1 s");
        assertThat(ProcessControl.isAlive(server.pid())).isFalse();
        assertThat(server.isRunning()).isFalse();
    }

    /** A "server" that is ready once its script created the file {@code ready}; two ports, only written down. */
    private static final class ShellServer extends ManagedProcess<ShellServer> {
        private final String script;

        private ShellServer(Builder b) {
            super("shell server", "shell.log", Duration.ofSeconds(5), b);
            this.script = b.script;
        }

        static Builder builder(String script) {
            return new Builder(script);
        }

        @Override
        protected LocalProcess.Builder prepare() {
            try {
                Files.deleteIfExists(dataDir().resolve("ready"));
            } catch (IOException e) {
                throw new InfraException("cannot reset", e);
            }
            write("server.conf", "port=" + port());
            return LocalProcess.builder("shell").command(List.of("/bin/sh", "-c", script));
        }

        @Override
        protected void awaitReady(long deadlineNanos) {
            await(() -> Files.exists(dataDir().resolve("ready")), deadlineNanos, 20, "is not ready");
        }

        @Override
        protected String address() {
            return "127.0.0.1:" + port();
        }

        static final class Builder extends ManagedProcess.Builder<Builder, ShellServer> {
            private final String script;

            private Builder(String script) {
                super(2, Duration.ofSeconds(10));
                this.script = script;
            }

            Builder secondPort(int port) {
                return port(1, port);
            }

            @Override
            protected ShellServer create() {
                return new ShellServer(this);
            }
        }
    }
}
