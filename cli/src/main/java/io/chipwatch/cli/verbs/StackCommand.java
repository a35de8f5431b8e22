package io.chipwatch.cli.verbs;

import io.chipwatch.cli.stack.LocalStack;
import io.chipwatch.cli.stack.StackLayout;
import io.chipwatch.infra.ChipwatchHome;

/** Base of the verbs that work on the local stack of this checkout. */
abstract class StackCommand {

    static LocalStack stack() {
        return new LocalStack(new StackLayout(ChipwatchHome.root()), System.out);
    }
}
