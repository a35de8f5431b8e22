package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.concurrent.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine's actor loop: one thread ({@code alerting-engine}) that alone touches the alert state. Everything else
 * (the Kafka consumer, the API, delivery callbacks, the tick schedule) hands it work here, so the state needs no
 * locks and every change happens in one order.
 */
public final class EngineLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);
    /** How long {@link #call} waits for the loop before the caller is told the engine is busy. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("alerting-engine"));
    private final Duration callTimeout;

    public EngineLoop() {
        this(CALL_TIMEOUT);
    }

    /** @param callTimeout how long {@link #call} waits (tests) */
    EngineLoop(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }

    /** Runs {@code step} every {@code period} (first after one period); a failing step is logged, the next runs. */
    public void every(Duration period, Runnable step) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.error("alert engine tick failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} on the loop and waits for its result ({@link #CALL_TIMEOUT} at most). Its runtime
     * exceptions reach the caller as they are.
     *
     * @throws EngineBusyException when the loop did not run it in time
     */
    public <T> T call(Callable<T> task) {
        try {
            return submit(task).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new EngineBusyException("the alert engine is busy (no answer within " + callTimeout.toSeconds()
                    + " s)", e);
        }
    }

    /** Runs {@code task} on the loop; the future fails with what it threw, or when the loop has stopped. */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /** Runs {@code task} on the loop without waiting; a failure is logged, a stopped loop drops it. */
    public void post(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("alert engine task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("engine stopped; task dropped");
        }
    }

    /** Stops the loop: what was handed to it may finish (5 s at most). */
    @Override
    public void close() {
        DaemonThreads.shutdown(executor, Duration.ofSeconds(5));
    }
}
