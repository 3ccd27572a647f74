package dev.segmenta.persistence.sql;

import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/**
 * One embedded PostgreSQL per test JVM in a temporary directory; each test class takes its own fresh database on
 * it, with the Flyway migrations applied.
 */
public final class TestDatabase {
    private static EmbeddedPostgres server;

    private final String url;

    private TestDatabase(String url) {
        this.url = url;
    }

    public static synchronized TestDatabase fresh(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException(name);
        }
        try {
            if (server == null) {
                Path dir = Files.createTempDirectory("segmenta-sql-test");
                server = EmbeddedPostgres.start(dir.resolve("data"), 0, "segmenta");
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            }
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("CREATE DATABASE " + name);
            }
            String url = server.jdbcUrl().substring(0, server.jdbcUrl().lastIndexOf('/') + 1) + name;
            Flyway.configure().dataSource(url, server.username(), "").locations("classpath:db/migration").load().migrate();
            return new TestDatabase(url);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgres.USER, "");
    }
}
