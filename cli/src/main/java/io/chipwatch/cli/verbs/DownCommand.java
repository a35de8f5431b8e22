package io.chipwatch.cli.verbs;

import io.chipwatch.cli.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code down}: stops the local stack; {@code --purge} deletes its data too. */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local stack.")
public final class DownCommand extends StackCommand {

    @Option(names = "--purge", description = "Also delete the stack's data, logs and state (var/).")
    boolean purge;

    @Override
    int run(LocalStack stack) throws Exception {
        stack.down(purge);
        return 0;
    }
}
