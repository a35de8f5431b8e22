package io.chipwatch.cli.stack;

import io.chipwatch.infra.LocalProcess;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one of the project's own JVMs (the Flink job, the collector) as a detached background process: its own
 * session (so Ctrl-C in the terminal that ran {@code up} does not reach it), output appended to a log file; started
 * as a detached {@link LocalProcess}.
 */
public final class JavaProcess {
    private final StackLayout layout;

    public JavaProcess(StackLayout layout) {
        this.layout = layout;
    }

    /**
     * @param component name used for the log file and the {@code -Dchipwatch.component} marker
     * @param module    Maven module whose classes and runtime classpath to use
     * @param jvmFlags  extra JVM flags (heap, --add-opens)
     * @param mainClass main class
     * @param args      program arguments
     * @return the started process
     */
    public LocalProcess start(String component, String module, List<String> jvmFlags, String mainClass,
                              List<String> args)
            throws IOException {
        Path cpFile = layout.moduleClasspathFile(module);
        if (!Files.exists(cpFile)) {
            throw new IllegalStateException(cpFile + " is missing: build the project first (./telemetry builds it)");
        }
        String classpath = layout.moduleClasses(module) + File.pathSeparator + Files.readString(cpFile).trim();
        Path tmp = layout.data(component).resolve("tmp");
        Files.createDirectories(tmp);
        Files.createDirectories(layout.logs());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dchipwatch.component=" + component);
        command.add("-Dchipwatch.root=" + layout.root());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return LocalProcess.builder(component)
                .command(command)
                .workDir(layout.root())
                .logFile(layout.log(component))
                .detached(true)
                .start();
    }
}
