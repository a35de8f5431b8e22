package io.chipwatch.infra.secret;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * A generated secret (an HTTP API's bearer token, a password) kept in a file outside the repository, readable by its
 * owner only (mode 600, folder 700): 32 random bytes (SecureRandom), base64url without padding, generated on the
 * first start. Every service and client finds its secret here, in one folder, {@link #configDir()}:
 * {@code $XDG_CONFIG_HOME/chipwatch/}, else {@code ~/.config/chipwatch/} ({@code alerting-token},
 * {@code collector-token}, ...). The secret is never logged, and never passed on a command line: a process is
 * given the file's path.
 */
public final class SecretFile {
    /** The alerting service's API token. */
    public static final String ALERTING_TOKEN = "alerting-token";
    /** The collector's control API token ({@code /faults}). */
    public static final String COLLECTOR_TOKEN = "collector-token";

    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
    private static final Set<PosixFilePermission> OWNER_RW =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final int MIN_LENGTH = 16;

    private SecretFile() {
    }

    /** The folder of every secret: {@code $XDG_CONFIG_HOME/chipwatch}, else {@code ~/.config/chipwatch}. */
    public static Path configDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("chipwatch");
    }

    /** The default file of the secret {@code name} (e.g. {@link #ALERTING_TOKEN}), in {@link #configDir()}. */
    public static Path defaultPath(String name) {
        return configDir().resolve(name);
    }

    /** A new secret: 32 bytes from SecureRandom, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Reads the secret from {@code file}, creating the file with a new one when it does not exist. A file others
     * may read is narrowed to mode 600 (with a warning). The secret itself is never logged.
     *
     * @throws IllegalStateException when the file holds no usable secret
     */
    public static String loadOrCreate(Path file) {
        return loadOrCreate(file, "");
    }

    /**
     * As {@link #loadOrCreate(Path)}, a new file holding {@code prefix} before the generated secret (e.g.
     * {@code user:} for a credentials file of one line {@code user:password}).
     */
    public static String loadOrCreate(Path file, String prefix) {
        try {
            if (!Files.exists(file)) {
                create(file, prefix + generate() + "\n");
            }
            if (isPosix(file)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_RW.containsAll(perms)) {
                    LOG.warn("secret file {} was readable by others ({}); setting it to 600", file,
                            PosixFilePermissions.toString(perms));
                    Files.setPosixFilePermissions(file, OWNER_RW);
                }
            }
            return check(file, Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the secret a service generated, as its clients do: never creates the file.
     *
     * @throws IllegalStateException naming the file when it is missing, unreadable or holds no usable secret
     */
    public static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no secret file " + file + " (the service writes it on its first start)");
        }
        try {
            return check(file, Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String check(Path file, String secret) {
        if (secret.length() < MIN_LENGTH || secret.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalStateException("secret file " + file + " holds no usable secret (at least "
                    + MIN_LENGTH + " characters, no spaces); delete it to have a new one generated");
        }
        return secret;
    }

    /**
     * Writes {@code content} (which holds a secret, such as a credentials file) into {@code file} with mode 600 in a
     * folder of mode 700, unless the file exists already; the same way {@link #loadOrCreate} writes a secret.
     *
     * @return whether this call created the file
     */
    public static boolean createIfAbsent(Path file, String content) {
        try {
            return !Files.exists(file) && create(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean create(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            if (isPosix(dir.getRoot())) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.OWNER_EXECUTE)));
            } else {
                Files.createDirectories(dir);
            }
        }
        // Written whole into a private temporary file, then linked into place: a reader never sees a half-written
        // file, and of two processes starting at once the second keeps the first one's secret.
        Path tmp = isPosix(dir) ? Files.createTempFile(dir, ".secret", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_RW))
                : Files.createTempFile(dir, ".secret", ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.createLink(file, tmp);
            LOG.info("generated a new secret into {}", file);
            return true;
        } catch (FileAlreadyExistsException e) {
            LOG.debug("{} appeared meanwhile; using it", file);
            return false;
        } catch (UnsupportedOperationException e) {
            Files.move(tmp, file);
            LOG.info("generated a new secret into {}", file);
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean isPosix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
