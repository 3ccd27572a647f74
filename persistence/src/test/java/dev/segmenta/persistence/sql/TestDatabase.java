package dev.segmenta.persistence.sql;

import dev.segmenta.persistence.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/** An embedded PostgreSQL in a temporary directory with the Flyway migrations applied; one per test class. */
final class TestDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Path dir;

    private TestDatabase(EmbeddedPostgres postgres, Path dir) {
        this.postgres = postgres;
        this.dir = dir;
    }

    static TestDatabase start() {
        try {
            Path dir = Files.createTempDirectory("segmenta-sql-test");
            EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("data"), 0, "segmenta");
            Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.username(), "")
                    .locations("classpath:db/migration").load().migrate();
            return new TestDatabase(postgres, dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "");
    }

    @Override
    public void close() {
        postgres.close();
    }
}
