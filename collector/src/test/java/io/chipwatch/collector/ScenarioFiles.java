package io.chipwatch.collector;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped scenario files are: {@code scenarios/} at the repository root. */
public final class ScenarioFiles {

    private ScenarioFiles() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("chipwatch.root", "..")).resolve("scenarios");
        return Files.isDirectory(dir) ? dir : Path.of("..", "scenarios");
    }

    public static Path of(String name) {
        return dir().resolve(name);
    }
}
