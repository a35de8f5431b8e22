package io.chipwatch.cli.stack;

/** A trivial child JVM for the supervision tests: sleeps until killed. */
public final class SleeperMain {
    private SleeperMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(600_000);
    }
}
