package io.chipwatch.cli.output;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The output formats every {@code telemetry} verb that prints data offers ({@code -o table|json|csv}, CONTRACTS.md
 * §4): {@code table} aligned columns for people, {@code json} one JSON document, {@code csv} the verb's rows with a
 * header line.
 */
public enum OutputFormat {
    table, json, csv;

    /** {@code table, json, csv}: what the error messages list. */
    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** The format named {@code text} (any case), or empty when there is none. */
    public static Optional<OutputFormat> named(String text) {
        String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.name().equals(name)).findFirst();
    }
}
