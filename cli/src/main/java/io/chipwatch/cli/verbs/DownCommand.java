package io.chipwatch.cli.verbs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code down}: stops the local stack; {@code --purge} deletes its data too. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local stack.")
public final class DownCommand extends StackCommand implements Callable<Integer> {

    @Option(names = "--purge", description = "Also delete the stack's data, logs and state (var/).")
    boolean purge;

    @Override
    public Integer call() throws Exception {
        stack().down(purge);
        return 0;
    }
}
