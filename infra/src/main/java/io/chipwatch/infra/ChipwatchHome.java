package io.chipwatch.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The root of the Chipwatch checkout, where the build leaves what the local processes need (the Kafka broker's
 * classpath) and where the local stack keeps {@code var/}.
 *
 * <p>Looked up, in order, from the system property {@value #ROOT_PROPERTY}, the environment variable
 * {@value #ROOT_ENV} and the working directory. Each candidate may also be a folder inside the checkout: the
 * search walks up from it to the first folder holding {@value #MARKER}. Walking up matters because Maven sets
 * {@code chipwatch.root} to the folder it was started in, which is a module folder when someone builds one module
 * from inside it.
 *
 * <p>An instance is an immutable value: the root found, with the paths derived from it.
 */
public final class ChipwatchHome {

    public static final String ROOT_PROPERTY = "chipwatch.root";
    public static final String ROOT_ENV = "CHIPWATCH_ROOT";
    /** A file only the repository root has. */
    public static final String MARKER = "kafka-broker/pom.xml";

    private final Path directory;

    public ChipwatchHome(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The repository root of this JVM's checkout; throws {@link InfraException} if none can be found. */
    public static Path root() {
        return locate().directory();
    }

    /** Locates the checkout from this JVM's system property, environment and working directory. */
    public static ChipwatchHome locate() {
        return locate(System.getProperty(ROOT_PROPERTY), System.getenv(ROOT_ENV), System.getProperty("user.dir"));
    }

    /** Locates the checkout from the given candidates (any may be null or blank); for tests and tools. */
    static ChipwatchHome locate(String property, String env, String workingDir) {
        List<String> tried = new ArrayList<>();
        String[][] candidates = {
                {"system property " + ROOT_PROPERTY, property},
                {"environment variable " + ROOT_ENV, env},
                {"working directory", workingDir}};
        for (String[] candidate : candidates) {
            if (candidate[1] == null || candidate[1].isBlank()) {
                continue;
            }
            tried.add(candidate[0] + " = " + candidate[1]);
            Optional<Path> found = walkUp(Path.of(candidate[1]));
            if (found.isPresent()) {
                return new ChipwatchHome(found.get());
            }
        }
        throw new InfraException("Cannot find the Chipwatch repository root (a folder holding " + MARKER
                + "); tried " + (tried.isEmpty() ? "nothing" : String.join(", ", tried))
                + ". Run from inside the checkout, or set -D" + ROOT_PROPERTY + "=/path/to/checkout or "
                + ROOT_ENV + ".");
    }

    private static Optional<Path> walkUp(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The repository root (absolute, normalized). */
    public Path directory() {
        return directory;
    }

    /** Where the kafka-broker module's build writes the broker JVM's classpath. */
    public Path kafkaBrokerClasspathFile() {
        return directory.resolve("kafka-broker/target/runtime.classpath");
    }

    /** The local stack's folder for data, logs and state ({@code var/}, git-ignored). */
    public Path varDir() {
        return directory.resolve("var");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChipwatchHome other && directory.equals(other.directory);
    }

    @Override
    public int hashCode() {
        return directory.hashCode();
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
