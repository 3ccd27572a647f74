package dev.segmenta.web;

import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import dev.segmenta.web.auth.SessionKey;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One embedded PostgreSQL per test JVM, in a fresh temporary data directory, shared by every test class. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedPostgres server;
    private static String sessionKey;
    public static final String KEY_FILE_PROPERTY = "testsupport.session-key-file";

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path dir = Files.createTempDirectory("segmenta-test-");
                // as SegmentaMain does: the session key from session.key beside the data directory
                Path keyFile = dir.resolve(SessionKey.FILE_NAME);
                sessionKey = SessionKey.loadOrCreate(keyFile);
                // for tests to find it (a system property crosses class loaders, a static field may not)
                System.setProperty(KEY_FILE_PROPERTY, keyFile.toString());
                server = EmbeddedPostgres.start(dir.resolve("postgres"), 0, "segmenta");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "segmenta-test-postgres-stop"));
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres pg = server();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", "",
                // what SegmentaMain offers through SessionKeyConfigSource (this resource may not share its class loader)
                SessionKey.PROPERTY, sessionKey);
    }

    @Override
    public void stop() {
        // Kept for the next test class; stopped when the JVM exits.
    }
}
