package dev.segmenta.web.auth;

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
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The key that encrypts web session cookies ({@code quarkus.http.auth.session.encryption-key}). Without one, Quarkus
 * makes a temporary key at each start and logs it, so anyone who can read the log can forge a session, and every
 * restart signs everyone out. Unless the key is configured, Segmenta keeps one in {@code session.key} beside the
 * embedded database's data directory ({@code ./data/session.key}): 32 random bytes, created on the first start with
 * owner-only permissions (0600), read at every later start, never logged.
 */
public final class SessionKey {
    public static final String PROPERTY = "quarkus.http.auth.session.encryption-key";
    public static final String FILE_NAME = "session.key";
    private static final Logger LOG = Logger.getLogger(SessionKey.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final int MIN_LENGTH = 32;

    private SessionKey() {}

    /** {@code session.key} beside the data directory named by {@code segmenta.db.data-dir} (default {@code data/postgres}). */
    public static Path defaultFile(Function<String, String> env) {
        String dir = System.getProperty("segmenta.db.data-dir");
        if (dir == null || dir.isBlank()) {
            dir = env.apply("SEGMENTA_DB_DATA_DIR");
        }
        Path dataDir = Path.of(dir == null || dir.isBlank() ? "data/postgres" : dir).toAbsolutePath().normalize();
        return dataDir.resolveSibling(FILE_NAME);
    }

    /** The key in {@code file}, created first if there is none. */
    public static String loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (key.length() < MIN_LENGTH) {
                throw new IllegalStateException("The session key file " + file + " holds fewer than " + MIN_LENGTH
                        + " characters: delete it to have a new key made (everyone signs in again), or put a longer key in it");
            }
            tighten(file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the session key file " + file
                    + "; make its folder writable, or set QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", e);
        }
    }

    private static void create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        try {
            // created with its final permissions, so the key is never readable by others, not even for a moment
            if (supportsPosix(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another process made it first; use theirs
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.UTF_8);
        LOG.info("Created a new session encryption key in " + file + " (owner-only); keep it with the data, or set "
                + "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY instead");
    }

    private static void tighten(Path file) throws IOException {
        if (supportsPosix(file)) {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(current)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
                LOG.warning("The session key file " + file + " was readable by others; its permissions are now owner-only (0600)");
            }
        }
    }

    private static boolean supportsPosix(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        return dir != null && Files.getFileStore(dir).supportsFileAttributeView("posix");
    }
}
