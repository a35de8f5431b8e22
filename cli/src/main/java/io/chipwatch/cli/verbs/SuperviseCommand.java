package io.chipwatch.cli.verbs;

import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.cli.stack.supervise.ComponentAlerts;
import io.chipwatch.cli.stack.supervise.KafkaComponentAlerts;
import io.chipwatch.cli.stack.supervise.RestartPolicy;
import io.chipwatch.cli.stack.supervise.StackSupervised;
import io.chipwatch.cli.stack.supervise.Supervisor;
import io.chipwatch.cli.stack.supervise.SupervisorClock;
import io.chipwatch.cli.stack.supervise.SupervisorProcess;
import io.chipwatch.cli.stack.supervise.SupervisorState;
import io.chipwatch.infra.ChipwatchHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code supervise} (hidden): the supervisor process {@code up} leaves behind
 * ({@link io.chipwatch.cli.stack.supervise.SupervisorProcess}). Every second it runs a {@link Supervisor} tick over
 * the stack's components (restarting with the options {@code up} left in {@code var/run/up-options.json}) and writes
 * {@code var/run/supervisor.json}; SIGTERM ({@code down}, a new {@code up})
 * stops it, and it resolves the component alerts it raised on the way out.
 */
@Command(name = "supervise", hidden = true, mixinStandardHelpOptions = true,
        description = "Restart the local stack's components that die (started by up, stopped by down).")
public final class SuperviseCommand implements Callable<Integer> {

    @Option(names = "--var", required = true, description = "The stack's var folder (up's options are in run/).")
    Path var;

    @Option(names = "--interval-ms", defaultValue = "1000", description = "Time between two looks.")
    long intervalMs;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Consumer<String> log = line -> out.println(Instant.now() + " supervisor: " + line);
        StackLayout layout = new StackLayout(ChipwatchHome.root(), var);
        LocalStack stack = new LocalStack(layout, out);
        StackSupervised components = new StackSupervised(stack, SupervisorProcess.loadOptions(layout));
        ComponentAlerts alerts = KafkaComponentAlerts.kafka(components::kafkaBootstrap, components::kafkaSecurity,
                LocalStack.ANOMALIES_TOPIC,
                log);
        Supervisor supervisor = new Supervisor(components, RestartPolicy.DEFAULT, alerts, SupervisorClock.SYSTEM, log);
        long pid = ProcessHandle.current().pid();
        Path file = SupervisorState.file(layout);
        Thread loop = Thread.currentThread();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.stop();
            loop.interrupt();
            try {
                done.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            alerts.close();
            log.accept("stopped");
        }, "supervisor-stop"));
        new SupervisorState(pid, System.currentTimeMillis(), supervisor.status()).save(file);
        log.accept("watching " + components.names() + " (pid " + pid + ")");
        try {
            while (!supervisor.stopped()) {
                try {
                    if (supervisor.tick()) {
                        new SupervisorState(pid, System.currentTimeMillis(), supervisor.status()).save(file);
                    }
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    log.accept("tick failed: " + e);
                }
            }
        } finally {
            done.countDown();
        }
        return 0;
    }
}
