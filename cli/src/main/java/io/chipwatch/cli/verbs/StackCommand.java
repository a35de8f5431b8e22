package io.chipwatch.cli.verbs;

import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.infra.ChipwatchHome;

import java.util.concurrent.Callable;

/**
 * Base of the verbs that work on the local stack of this checkout: checks the verb's options (a problem is printed
 * to standard error, exit code 2, before the checkout is even looked for), then runs the verb on the stack.
 */
abstract class StackCommand implements Callable<Integer> {

    @Override
    public final Integer call() throws Exception {
        checkOptions();
        String problem = invalidOptions();
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        return run(new LocalStack(new StackLayout(ChipwatchHome.root()), System.out));
    }

    /** Throws picocli's usage error (exit code 2) for a bad option value, before any work. */
    void checkOptions() {
    }

    /** What is wrong with the options given, or null when nothing is. */
    String invalidOptions() {
        return null;
    }

    /** Does the verb's work; returns the exit code. */
    abstract int run(LocalStack stack) throws Exception;
}
