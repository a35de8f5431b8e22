package io.chipwatch.cli.verbs;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code test}: listed here so that {@code --help} shows it; the {@code ./telemetry} wrapper runs it before any Java
 * does (it installs missing packages, then runs Maven), so this class only answers when the Java CLI is started
 * directly.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Install missing packages (apt), then run every test (mvn verify). Extra arguments go to Maven, "
                + "e.g. ./telemetry test -pl alerting.")
public final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MAVEN_ARG", arity = "0..*", description = "Passed to mvn verify.")
    List<String> mavenArgs;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("test runs Maven from the shell wrapper: use ./telemetry test"
                + (mavenArgs == null ? "" : " " + String.join(" ", mavenArgs)));
        return 2;
    }
}
