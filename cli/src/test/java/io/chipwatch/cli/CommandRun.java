package io.chipwatch.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of a picocli command in a test: its exit code and what it wrote to picocli's out and err writers. */
public record CommandRun(int exit, String out, String err) {

    /** Executes {@code command} with {@code args}, capturing its out and err writers. */
    public static CommandRun execute(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    /** The standard output with line separators as {@code \n}. */
    public String outLines() {
        return out.replace(System.lineSeparator(), "\n");
    }
}
