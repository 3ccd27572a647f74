package dev.segmenta.web;

import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** One embedded PostgreSQL per test JVM, in a fresh temporary data directory, shared by every test class. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedPostgres server;

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.start(Files.createTempDirectory("segmenta-test-").resolve("postgres"), 0, "segmenta");
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
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        // Kept for the next test class; stopped when the JVM exits.
    }
}
