package io.chipwatch.alerting.notify;

import io.chipwatch.alerting.alert.Alert;
import io.chipwatch.alerting.concurrent.DaemonThreads;
import io.chipwatch.alerting.metrics.AlertingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers notifications to receivers, retrying with {@link Backoff} until the receiver takes them. Before each
 * retry the task asks for fresh content ({@link Task#refresh}): after a long outage the receiver gets the group's
 * state as it is then, not a stale copy, and a notification no longer needed (its alerts resolved before the
 * receiver ever heard of them) is dropped, counted as {@code obsolete} and logged. Nothing is dropped silently.
 *
 * <p>Attempts run on a small pool of sender threads; waits between them on a scheduler, so a dead receiver holds
 * no thread.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final Map<String, Receiver> receivers = new LinkedHashMap<>();
    private final Map<String, ReceiverHealth> health = new LinkedHashMap<>();
    private final Backoff backoff;
    private final AlertingMetrics metrics;
    private final ExecutorService senders;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /**
     * One notification to one receiver.
     *
     * @param receiver    receiver name
     * @param first       what to send at the first attempt
     * @param refresh     asked before every retry: the content to send now, or empty when it is no longer needed
     * @param onDelivered called once the receiver took it (with what it took)
     * @param onDropped   called when it ends without delivery (obsolete, or the service closing), with the reason
     */
    public record Task(String receiver, Notification first,
                       Supplier<CompletableFuture<Optional<Notification>>> refresh,
                       Consumer<Notification> onDelivered, Consumer<String> onDropped) {
    }

    public Delivery(Collection<Receiver> receivers, Backoff backoff, AlertingMetrics metrics, Clock clock) {
        this.backoff = backoff;
        this.metrics = metrics;
        for (Receiver r : receivers) {
            if (this.receivers.put(r.name(), r) != null) {
                throw new IllegalArgumentException("two receivers named " + r.name());
            }
            health.put(r.name(), new ReceiverHealth(r.name(), clock,
                    metrics.gauge("receiver.up", "1 while the receiver takes notifications, 0 once failing for 30 s",
                            "receiver", r.name()),
                    metrics.gauge("receiver.consecutive.failures", "Failed attempts in a row", "receiver", r.name()),
                    metrics.gauge("notifications.pending", "Notifications being delivered or waiting for a retry",
                            "receiver", r.name())));
        }
        this.senders = Executors.newFixedThreadPool(4, DaemonThreads.numbered("alerting-sender-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-retry"));
    }

    public Collection<Receiver> receivers() {
        return receivers.values();
    }

    public Optional<Receiver> receiver(String name) {
        return Optional.ofNullable(receivers.get(name));
    }

    public List<ReceiverHealth.Status> health() {
        return health.values().stream().map(ReceiverHealth::status).toList();
    }

    public void submit(Task task) {
        Receiver receiver = receivers.get(task.receiver());
        if (receiver == null) {
            throw new IllegalArgumentException("no receiver " + task.receiver());
        }
        health.get(task.receiver()).taskStarted();
        execute(() -> attempt(receiver, task, task.first(), 1), task);
    }

    /** Runs a keepalive send (no retries: the next keepalive comes soon). */
    public void keepalive(Receiver receiver, Collection<Alert> firing,
                          String externalUrl) {
        if (closed) {
            return;
        }
        senders.execute(() -> {
            long t0 = System.nanoTime();
            try {
                receiver.keepalive(firing, externalUrl);
                metrics.attempt(receiver.name(), Duration.ofNanos(System.nanoTime() - t0));
                health.get(receiver.name()).success();
            } catch (DeliveryException e) {
                metrics.notification(receiver.name(), "failure");
                health.get(receiver.name()).failure("keepalive: " + e.getMessage(), receiver.keepaliveInterval()
                        .orElse(Duration.ZERO));
            } catch (RuntimeException e) {
                LOG.error("keepalive to {} failed unexpectedly", receiver.name(), e);
            }
        });
    }

    private void attempt(Receiver receiver, Task task, Notification n, int attempt) {
        ReceiverHealth h = health.get(receiver.name());
        long t0 = System.nanoTime();
        try {
            receiver.send(n);
            metrics.attempt(receiver.name(), Duration.ofNanos(System.nanoTime() - t0));
            metrics.notification(receiver.name(), "success");
            h.success();
            h.taskEnded();
            try {
                task.onDelivered().accept(n);
            } catch (RuntimeException e) {
                LOG.error("after delivery to {}: {}", receiver.name(), e.toString(), e);
            }
        } catch (DeliveryException | RuntimeException e) {
            metrics.attempt(receiver.name(), Duration.ofNanos(System.nanoTime() - t0));
            metrics.notification(receiver.name(), "failure");
            Duration wait = backoff.delay(attempt);
            h.failure(e.getMessage(), wait);
            if (closed) {
                drop(task, "the service is stopping (the next start delivers it again)");
                return;
            }
            timer.schedule(() -> retry(receiver, task, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void retry(Receiver receiver, Task task, int attempt) {
        if (closed) {
            drop(task, "the service is stopping (the next start delivers it again)");
            return;
        }
        CompletableFuture<Optional<Notification>> fresh;
        try {
            fresh = task.refresh().get();
        } catch (RuntimeException e) {
            fresh = CompletableFuture.failedFuture(e);
        }
        fresh.whenComplete((next, error) -> {
            if (error != null) {
                LOG.warn("cannot refresh a notification for {}; retrying the previous content: {}", receiver.name(),
                        error.toString());
                execute(() -> attempt(receiver, task, task.first(), attempt), task);
            } else if (next.isEmpty()) {
                metrics.notification(receiver.name(), "obsolete");
                LOG.warn("receiver {}: notification for group {} dropped after {} failed attempt(s): no longer needed "
                        + "(its alerts resolved before the receiver could be told)", receiver.name(),
                        task.first().groupKey(), attempt - 1);
                drop(task, "obsolete");
            } else {
                Task updated = new Task(task.receiver(), next.get(), task.refresh(), task.onDelivered(),
                        task.onDropped());
                execute(() -> attempt(receiver, updated, next.get(), attempt), updated);
            }
        });
    }

    private void execute(Runnable r, Task task) {
        try {
            senders.execute(r);
        } catch (RejectedExecutionException e) {
            drop(task, "the service is stopping (the next start delivers it again)");
        }
    }

    private void drop(Task task, String reason) {
        health.get(task.receiver()).taskEnded();
        try {
            task.onDropped().accept(reason);
        } catch (RuntimeException e) {
            LOG.error("after dropping a notification for {}: {}", task.receiver(), e.toString(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        DaemonThreads.shutdown(senders, Duration.ofSeconds(5));
    }
}
