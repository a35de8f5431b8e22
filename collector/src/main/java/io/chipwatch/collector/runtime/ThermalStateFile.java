package io.chipwatch.collector.runtime;

import io.chipwatch.collector.sim.ThermalSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A simulating collector's {@link ThermalSnapshot} on disk ({@code --state-file}): saved at most every
 * {@code every} (the whole file written beside and moved into place, so a {@code kill -9} leaves the previous
 * snapshot or the new one, never half of one), and read back when the collector starts again, so that a restart
 * goes on from where the dies were.
 *
 * <p>Format: the magic {@code CWTH}, a version (1), then the snapshot's fields and temperatures as big-endian
 * numbers ({@link DataOutputStream}). Any other content is an {@link IOException} naming the file.
 */
public final class ThermalStateFile {
    private static final Logger LOG = LoggerFactory.getLogger(ThermalStateFile.class);
    private static final int MAGIC = 0x43575448; // "CWTH"
    private static final int VERSION = 1;

    private final Path path;
    private final long everyNanos;
    private long lastSaveNanos;
    private boolean saved;
    private long failures;

    /**
     * @param path  the file (its directory is created on the first save)
     * @param every the least time between two saves
     */
    public ThermalStateFile(Path path, Duration every) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
        this.everyNanos = every.toNanos();
    }

    public Path path() {
        return path;
    }

    /**
     * The snapshot in the file; empty when there is no file.
     *
     * @throws IOException when the file cannot be read or is not a thermal snapshot (the message names it)
     */
    public Optional<ThermalSnapshot> load() throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(path + " is not a thermal state file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(path + " has version " + version + "; this collector reads " + VERSION);
            }
            long timestamp = in.readLong();
            long seed = in.readLong();
            int chips = in.readInt();
            int from = in.readInt();
            int to = in.readInt();
            if (from < 0 || to < from || to > chips) {
                throw new IOException(path + " names chips " + from + ".." + to + " of " + chips);
            }
            double[] temps = new double[to - from];
            for (int i = 0; i < temps.length; i++) {
                temps[i] = in.readDouble();
            }
            if (in.read() != -1) {
                throw new IOException(path + " is longer than its snapshot");
            }
            return Optional.of(new ThermalSnapshot(timestamp, seed, chips, from, to, temps));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (EOFException e) {
            throw new IOException(path + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** Writes the snapshot now: to a file beside, then moved over the old one atomically. */
    public void save(ThermalSnapshot snapshot) throws IOException {
        Path dir = path.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(snapshot.timestampMillis());
            out.writeLong(snapshot.seed());
            out.writeInt(snapshot.chipCount());
            out.writeInt(snapshot.shardFrom());
            out.writeInt(snapshot.shardTo());
            for (int c = snapshot.shardFrom(); c < snapshot.shardTo(); c++) {
                out.writeDouble(snapshot.tempC(c));
            }
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Saves the snapshot when {@code every} has passed since the last save (or none was made); a failure is logged
     * (the first, then one in a hundred) and counted, never thrown: sampling goes on without it.
     *
     * @param nowNanos the monotonic clock now
     * @return whether a snapshot was saved
     */
    public boolean saveIfDue(Supplier<ThermalSnapshot> snapshot, long nowNanos) {
        if (saved && nowNanos - lastSaveNanos < everyNanos) {
            return false;
        }
        saved = true;
        lastSaveNanos = nowNanos;
        try {
            save(snapshot.get());
            return true;
        } catch (IOException | RuntimeException e) {
            if (failures++ % 100 == 0) {
                LOG.warn("cannot save the dies' temperatures to {} ({} failure(s)); a restart will start them in "
                        + "equilibrium: {}", path, failures, e.toString());
            }
            return false;
        }
    }

    /** Saves that failed so far. */
    public long failures() {
        return failures;
    }
}
