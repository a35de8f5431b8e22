package io.chipwatch.alerting.api;

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
 * The bearer token of the HTTP API: 32 random bytes (SecureRandom), base64url without padding, generated on the
 * first start into a file outside the repository, readable by its owner only (mode 600, folder 700). Default:
 * {@code $XDG_CONFIG_HOME/chipwatch/alerting-token}, else {@code ~/.config/chipwatch/alerting-token}.
 */
public final class TokenFile {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
    private static final Set<PosixFilePermission> OWNER_RW =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final int MIN_LENGTH = 16;

    private TokenFile() {
    }

    /** The default location (see the class comment). */
    public static Path defaultPath() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("chipwatch").resolve("alerting-token");
    }

    /** A new token: 32 bytes from SecureRandom, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Reads the token from {@code file}, creating the file with a new token when it does not exist. A file others
     * may read is narrowed to mode 600 (with a warning).
     *
     * @throws IllegalStateException when the file holds no usable token
     */
    public static String loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            if (isPosix(file)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_RW.containsAll(perms)) {
                    LOG.warn("token file {} was readable by others ({}); setting it to 600", file,
                            PosixFilePermissions.toString(perms));
                    Files.setPosixFilePermissions(file, OWNER_RW);
                }
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException("token file " + file + " holds no usable token (at least "
                        + MIN_LENGTH + " characters, no spaces); delete it to have a new one generated");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
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
        try {
            if (isPosix(dir)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_RW));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another process was faster: use its token
        }
        Files.writeString(file, generate() + "\n", StandardCharsets.UTF_8);
        LOG.info("generated a new API token into {}", file);
    }

    private static boolean isPosix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
