package io.chipwatch.collector.source.prometheus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code --targets} file, re-read when it changes (its modification time or size; checked at every scrape, a
 * {@code stat} call), as Prometheus re-reads {@code file_sd} files. A file that cannot be read or parsed keeps the
 * targets it had (a half-written file must not silence the fleet) and is logged once per change.
 */
public final class TargetsFile {
    private static final Logger LOG = LoggerFactory.getLogger(TargetsFile.class);

    private final Path path;
    private final boolean yaml;
    private List<ScrapeTarget> targets = List.of();
    private Object version;
    private long errors;

    public TargetsFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        this.yaml = name.endsWith(".yml") || name.endsWith(".yaml");
    }

    /** The targets now: re-read first when the file changed since the last call. */
    public synchronized List<ScrapeTarget> current() {
        Object now;
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            now = List.of(a.lastModifiedTime().toMillis(), a.size(), a.fileKey() == null ? "" : a.fileKey());
        } catch (NoSuchFileException e) {
            now = "missing";
        } catch (IOException e) {
            now = e.toString();
        }
        if (now.equals(version)) {
            return targets;
        }
        version = now;
        try {
            List<ScrapeTarget> read = FileSdTargets.parse(Files.readString(path, StandardCharsets.UTF_8), yaml);
            LOG.info("targets file {}: {} target(s){}", path, read.size(), read.equals(targets) ? " (unchanged)" : "");
            targets = read;
        } catch (IOException | IllegalArgumentException e) {
            errors++;
            LOG.warn("targets file {} not read ({}); keeping its {} previous target(s)", path,
                    e instanceof NoSuchFileException ? "no such file" : e.getMessage(), targets.size());
        }
        return targets;
    }

    /** Reads that failed since the start. */
    public synchronized long errors() {
        return errors;
    }

    public Path path() {
        return path;
    }
}
