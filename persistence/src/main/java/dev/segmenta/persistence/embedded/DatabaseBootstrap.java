package dev.segmenta.persistence.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Decides, before Quarkus starts, which PostgreSQL Segmenta uses: the one named by {@code SEGMENTA_DB_URL}
 * (or {@code quarkus.datasource.jdbc.url}), or else an embedded server it starts itself. The datasource and
 * Flyway read their settings from system properties set here, so the server is up before either starts.
 *
 * <p>Settings (system property, or environment variable):
 * {@code segmenta.db.data-dir} / {@code SEGMENTA_DB_DATA_DIR} (default {@code ./data/postgres}),
 * {@code segmenta.db.port} / {@code SEGMENTA_DB_PORT} (default 0: any free loopback port).
 */
public final class DatabaseBootstrap {
    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class.getName());
    /** Longer than quarkus.shutdown.timeout, so requests Quarkus lets finish still have their database. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);
    private static EmbeddedPostgres embedded;

    private DatabaseBootstrap() {}

    /** Starts the embedded server when no external database is configured. Returns it, if started. */
    public static synchronized Optional<EmbeddedPostgres> configure() {
        return configure(System::getenv);
    }

    static synchronized Optional<EmbeddedPostgres> configure(Function<String, String> env) {
        if (embedded != null) {
            // already started by an earlier call; the property below is ours, not an external URL
            return Optional.of(embedded);
        }
        String url = firstNonBlank(System.getProperty("quarkus.datasource.jdbc.url"), env.apply("SEGMENTA_DB_URL"),
                env.apply("QUARKUS_DATASOURCE_JDBC_URL"));
        if (url != null) {
            System.setProperty("quarkus.datasource.jdbc.url", toJdbcUrl(url));
            copy(env.apply("SEGMENTA_DB_USER"), "quarkus.datasource.username");
            copy(env.apply("SEGMENTA_DB_PASSWORD"), "quarkus.datasource.password");
            LOG.info("Using the external PostgreSQL at " + System.getProperty("quarkus.datasource.jdbc.url"));
            return Optional.empty();
        }
        Path dataDir = Path.of(firstNonBlank(System.getProperty("segmenta.db.data-dir"), env.apply("SEGMENTA_DB_DATA_DIR"), "data/postgres"));
        String portSetting = firstNonBlank(System.getProperty("segmenta.db.port"), env.apply("SEGMENTA_DB_PORT"), "0");
        int port;
        try {
            port = Integer.parseInt(portSetting.trim());
        } catch (NumberFormatException e) {
            throw new EmbeddedPostgresException("segmenta.db.port / SEGMENTA_DB_PORT must be a port number (0 for any free "
                    + "port), not '" + portSetting + "'.");
        }
        embedded = EmbeddedPostgres.start(dataDir, port, "segmenta");
        EmbeddedPostgres started = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopWhenIdle(started, SHUTDOWN_GRACE), "segmenta-embedded-postgres-stop"));
        LOG.info("Embedded PostgreSQL 17 is up on 127.0.0.1:" + started.port() + ", data in " + started.dataDir()
                + " (psql/pg_dump: -h 127.0.0.1 -p " + started.port() + " -U " + started.username() + " segmenta)");
        System.setProperty("quarkus.datasource.jdbc.url", embedded.jdbcUrl());
        System.setProperty("quarkus.datasource.username", embedded.username());
        System.setProperty("quarkus.datasource.password", "");
        return Optional.of(embedded);
    }

    /**
     * JVM shutdown hooks run concurrently, so Quarkus may still be finishing requests when ours starts: wait
     * until its connection pool has closed (no client is connected) or the grace period is over, then stop.
     */
    private static void stopWhenIdle(EmbeddedPostgres server, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
                PreparedStatement clients = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = clients.executeQuery()) {
                    if (rs.next() && rs.getLong(1) == 0) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
        } catch (SQLException e) {
            LOG.fine("Could not watch for the connection pool to close; stopping now: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }

    private static String toJdbcUrl(String url) {
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3);
        }
        return url;
    }

    private static void copy(String value, String property) {
        if (value != null && !value.isBlank() && System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
