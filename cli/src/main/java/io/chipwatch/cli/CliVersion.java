package io.chipwatch.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What {@code ./telemetry --version} prints: the build's version (recorded by Maven) and the Java running it. */
public final class CliVersion implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = CliVersion.class.getResourceAsStream("/chipwatch-build.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        return new String[]{"telemetry " + build.getProperty("chipwatch.version", "(unknown version: not built by Maven)"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ")"};
    }
}
