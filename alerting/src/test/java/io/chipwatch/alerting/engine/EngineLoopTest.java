package io.chipwatch.alerting.engine;

import io.chipwatch.alerting.alert.AlertNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The actor loop: one thread, answers or a typed "busy", failures that do not stop it. */
class EngineLoopTest {
    private final EngineLoop loop = new EngineLoop(Duration.ofMillis(200));

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void everyTaskRunsOnTheOneEngineThreadInOrder() {
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            loop.post(() -> seen.add(n + ":" + Thread.currentThread().getName()));
        }
        assertThat(loop.call(() -> Thread.currentThread().getName())).isEqualTo("alerting-engine");
        assertThat(seen).containsExactly("0:alerting-engine", "1:alerting-engine", "2:alerting-engine");
    }

    @Test
    void aCommandsOwnExceptionReachesTheCallerAsItIs() {
        assertThatThrownBy(() -> loop.call(() -> {
            throw new AlertNotFoundException("0123456789abcdef");
        })).isInstanceOf(AlertNotFoundException.class).hasMessage("no alert with fingerprint 0123456789abcdef");
    }

    @Test
    void aLoopThatDoesNotAnswerInTimeIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        loop.post(() -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThatThrownBy(() -> loop.call(() -> "late")).isInstanceOf(EngineBusyException.class)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("busy");
        } finally {
            release.countDown();
        }
        assertThat(loop.call(() -> "answers again")).isEqualTo("answers again");
    }

    @Test
    void aFailingPostedTaskDoesNotStopTheLoop() {
        loop.post(() -> {
            throw new IllegalStateException("boom (test)");
        });
        assertThat(loop.call(() -> 42)).isEqualTo(42);
    }

    @Test
    void aStoppedLoopFailsSubmissionsAndDropsPosts() {
        loop.close();
        loop.post(() -> {
            throw new AssertionError("must not run");
        });
        assertThatThrownBy(() -> loop.submit(() -> 1).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
    }
}
