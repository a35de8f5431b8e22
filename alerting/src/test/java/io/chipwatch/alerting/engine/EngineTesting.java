package io.chipwatch.alerting.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test access to an engine's loop from other packages' tests (the API's busy answer). */
public final class EngineTesting {
    private EngineTesting() {
    }

    /** Holds the engine's loop until {@code release} counts down (30 s at most): every call meanwhile is busy. */
    public static CompletableFuture<Boolean> blockLoop(AlertEngine engine, CountDownLatch release) {
        return engine.loop().submit(() -> release.await(30, TimeUnit.SECONDS));
    }
}
