package io.chipwatch.cli.stack;

import io.chipwatch.cli.stack.StackComponent.Port;
import io.chipwatch.cli.stack.StackComponent.Started;
import io.chipwatch.infra.LocalProcess;
import io.chipwatch.infra.ProcessControl;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Grafana as a component of the local stack: with the provisioning of {@code dashboards/}, where this machine has a
 * Grafana binary or a Docker engine ({@link GrafanaLauncher}); otherwise {@code up} says so plainly and goes on
 * (every other component works without it), as it does when Grafana does not come up.
 */
final class StackGrafana {
    private static final String HEALTH = "/api/health";

    private StackGrafana() {
    }

    /** The description {@link LocalStack#up} starts last. */
    static StackComponent component() {
        return new StackComponent(LocalStack.GRAFANA, List.of(new Port("http", 3000)), "http://",
                StackGrafana::start, StackGrafana::awaitReady,
                launch -> launch.url() + "  (admin password: $" + GrafanaLauncher.PASSWORD_ENV + " or "
                        + LocalStack.grafanaPasswordFile() + ")",
                state -> state.grafanaContainer != null && answers(state));
    }

    private static Optional<Started> start(Launch launch) throws Exception {
        Optional<GrafanaLauncher.Runtime> runtime = GrafanaLauncher.find();
        PrintStream out = launch.out();
        if (runtime.isEmpty()) {
            out.printf("  %-10s not started: this machine has no Grafana binary (grafana, grafana-server) and no "
                    + "Docker engine; the dashboards are in dashboards/ (see its README)%n", LocalStack.GRAFANA);
            return Optional.empty();
        }
        int port = launch.port("http");
        Path dashboards = launch.layout().root().resolve("dashboards");
        Path provisioning = dashboards.resolve("provisioning");
        String password = GrafanaLauncher.adminPassword(System.getenv(), LocalStack.grafanaPasswordFile());
        String influxUrl = launch.url(LocalStack.INFLUXDB);
        if (runtime.get() instanceof GrafanaLauncher.Binary binary) {
            Files.createDirectories(launch.data());
            LocalProcess.Builder grafana = LocalProcess.builder(LocalStack.GRAFANA)
                    .command(GrafanaLauncher.binaryCommand(binary, launch.data(), provisioning))
                    .workDir(binary.homePath())
                    .logFile(launch.log())
                    .detached(true);
            GrafanaLauncher.environment(port, influxUrl, LocalStack.DATABASE,
                    dashboards.resolve("dashboards").toString(), password, InfluxQueries.credentials())
                    .forEach(grafana::environment);
            return Optional.of(Started.process(grafana.start()));
        }
        String name = "chipwatch-grafana-" + Integer.toHexString(launch.layout().var().toString().hashCode());
        Path envFile = GrafanaLauncher.writeEnvFile(launch.data().resolve("grafana.env"),
                GrafanaLauncher.environment(port, influxUrl, LocalStack.DATABASE, "/var/lib/grafana/dashboards",
                        password, InfluxQueries.credentials()));
        Process run = new ProcessBuilder(GrafanaLauncher.dockerCommand(name, envFile, provisioning,
                dashboards.resolve("dashboards")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.log().toFile()))
                .start();
        if (run.waitFor() != 0) {
            out.printf("  %-10s not started: docker run failed (exit %d); see %s%n", LocalStack.GRAFANA,
                    run.exitValue(), launch.log());
            return Optional.empty();
        }
        launch.state().grafanaContainer = name;
        return Optional.of(new Started(Optional.empty(), null));
    }

    private static boolean awaitReady(Launch launch, Started started) throws InterruptedException {
        try {
            StackProbes.awaitHttp(launch.url() + HEALTH, started, LocalStack.GRAFANA, launch.log(),
                    Duration.ofSeconds(90));
            return true;
        } catch (IllegalStateException e) {
            // Dashboards are a convenience: the stack stays up without them.
            launch.out().printf("  %-10s did not come up: %s%n", LocalStack.GRAFANA, e.getMessage());
            return false;
        }
    }

    /** True when the Grafana of this state answers its health check. */
    static boolean answers(StackState state) {
        String url = LocalStack.url(state, LocalStack.GRAFANA);
        return url != null && StackProbes.answers(url + HEALTH, Duration.ofSeconds(3));
    }

    /** Stops Grafana's process (when it is ours) or removes its container. */
    static void stop(StackState state, StackProcesses processes, PrintStream out) throws IOException {
        var handle = processes.ours(state.pids.get(LocalStack.GRAFANA));
        if (handle.isPresent()) {
            long t0 = System.nanoTime();
            ProcessControl.stop(handle.get().pid(), Duration.ofSeconds(20));
            out.printf("  %-10s stopped in %.1f s%n", LocalStack.GRAFANA, (System.nanoTime() - t0) / 1e9);
        }
        state.pids.remove(LocalStack.GRAFANA);
        if (state.grafanaContainer != null) {
            try {
                new ProcessBuilder("docker", "rm", "-f", state.grafanaContainer)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(30, TimeUnit.SECONDS);
                out.printf("  %-10s container %s removed%n", LocalStack.GRAFANA, state.grafanaContainer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            state.grafanaContainer = null;
        }
    }
}
