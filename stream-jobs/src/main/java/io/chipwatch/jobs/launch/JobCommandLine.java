package io.chipwatch.jobs.launch;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Parses a job's arguments with picocli into its configuration, in one step: picocli reads the options (unknown
 * options, missing and unparseable values fail here), then {@link JobCommand#toConfig()} validates the values.
 * Every failure is a {@link JobUsageException} whose message names the option and says what to pass.
 */
public final class JobCommandLine<C extends JobConfig> {
    private final JobCommand<C> command;
    private final CommandLine commandLine;

    /** A command line for {@code command}, a new instance of a job's command. */
    public JobCommandLine(JobCommand<C> command) {
        this.command = command;
        // As before picocli: an option given twice takes its last value.
        this.commandLine = new CommandLine(command).setOverwrittenOptionsAllowed(true);
    }

    /**
     * The configuration of {@code args}, with {@code --help} ignored.
     *
     * @throws JobUsageException if the arguments do not parse or a value is invalid
     */
    public static <C extends JobConfig> C parse(JobCommand<C> command, List<String> args) {
        JobCommandLine<C> commandLine = new JobCommandLine<>(command);
        commandLine.parseArgs(args);
        return commandLine.config();
    }

    /**
     * Reads {@code args}; true when they ask for the usage help (then nothing is validated).
     *
     * @throws JobUsageException if the arguments do not parse or a value is invalid
     */
    public boolean parseArgs(List<String> args) {
        try {
            return commandLine.parseArgs(args.toArray(String[]::new)).isUsageHelpRequested();
        } catch (ParameterException e) {
            throw new JobUsageException(message(commandLine, e), e);
        }
    }

    /**
     * The configuration of the values read.
     *
     * @throws JobUsageException if a value is invalid
     */
    public C config() {
        try {
            return command.toConfig();
        } catch (JobUsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new JobUsageException(e.getMessage(), e);
        }
    }

    /** The usage help: every option with its meaning and default. */
    public String usage() {
        return commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String message(CommandLine commandLine, ParameterException e) {
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> unknown = unmatched.getUnmatched().stream().filter(a -> a.startsWith("-")).toList();
            if (unknown.isEmpty()) {
                return e.getMessage() + "; pass options as --option value (--help lists them)";
            }
            return "unknown option(s) " + unknown + (unmatched.getSuggestions().isEmpty() ? ""
                    : " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)")
                    + "; the options are " + commandLine.getCommandSpec().options().stream()
                    .filter(o -> !o.usageHelp()).map(OptionSpec::longestName).collect(Collectors.joining(", "));
        }
        if (e instanceof MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof OptionSpec option) {
            return option.longestName() + " needs a value; pass " + example(option)
                    + (hasDefault(option) ? ", or leave the option out for its default" : "");
        }
        ArgSpec spec = e.getArgSpec();
        if (spec instanceof OptionSpec option && e.getValue() != null) {
            return option.longestName() + " has invalid value '" + e.getValue() + "'; pass " + example(option);
        }
        return e.getMessage();
    }

    /** "--name LABEL (default D)". */
    private static String example(OptionSpec option) {
        return option.longestName() + " " + option.paramLabel()
                + (hasDefault(option) ? " (default " + option.defaultValueString() + ")" : "");
    }

    private static boolean hasDefault(OptionSpec option) {
        String defaultValue = option.defaultValueString();
        return defaultValue != null && !defaultValue.equals("null");
    }
}
