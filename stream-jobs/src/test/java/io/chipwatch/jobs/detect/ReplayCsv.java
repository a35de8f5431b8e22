package io.chipwatch.jobs.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the replay tests' recorded readings (real simulated samples, one per line, comma-separated, {@code #}
 * comments): each line's fields, for the test to map to its own row type.
 */
final class ReplayCsv {
    private ReplayCsv() {
    }

    /** The fields of every data line of the class-path {@code resource}, in file order. */
    static List<String[]> fields(String resource) throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (InputStream in = Objects.requireNonNull(ReplayCsv.class.getResourceAsStream(resource), resource);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    lines.add(line.split(",", -1));
                }
            }
        }
        return lines;
    }
}
