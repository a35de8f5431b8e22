package io.chipwatch.cli.stack;

import java.nio.file.Path;

/**
 * Where the local stack keeps its files: everything lives under {@code var/} of the checkout (git-ignored), so
 * {@code down --purge} can remove it all and several checkouts never share state.
 *
 * @param root the repository root (module classes and classpaths are found there)
 * @param var  the folder for data, logs and state; {@code root/var} unless a test moves it
 */
public record StackLayout(Path root, Path var) {

    /** The usual layout: state under {@code root/var}. */
    public StackLayout(Path root) {
        this(root, root.resolve("var"));
    }

    /** Data folder of one component, e.g. {@code var/kafka}. */
    public Path data(String component) {
        return var().resolve(component);
    }

    /** Log file of one component, e.g. {@code var/logs/kafka.log}. */
    public Path log(String component) {
        return var().resolve("logs").resolve(component + ".log");
    }

    public Path logs() {
        return var().resolve("logs");
    }

    /** The stack's state file: ports and pids of what {@code up} started. */
    public Path stateFile() {
        return var().resolve("run").resolve("stack.json");
    }

    /** Classpath of a module's JVM: its classes, then the dependencies its build listed. */
    public Path moduleClasses(String module) {
        return root.resolve(module).resolve("target").resolve("classes");
    }

    public Path moduleClasspathFile(String module) {
        return root.resolve(module).resolve("target").resolve("runtime.classpath");
    }
}
