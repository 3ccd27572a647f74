package dev.segmenta.web.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.sql.QueryRunner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link QueryRunner} inside a JTA transaction: it joins it (sees the entities written before it, commits and rolls
 * back with them) and its statement timeout holds for its own statements only.
 */
@QuarkusTest
class QueryRunnerTransactionTest {
    @Inject
    QueryRunner runner;

    @Inject
    AuditLog audit;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void insideAJtaTransaction_seesItsEntities_andRollsBackWithThem() throws SQLException {
        String actor = "runner-test-" + UUID.randomUUID();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            audit.record(actor, "first", "test", "1", null, null); // an entity
            long seen = runner.inTransaction(c -> count(c, actor));
            assertThat(seen).as("the JDBC work sees the entity written before it in the same transaction").isEqualTo(1);
            runner.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor, action, entity_type) VALUES (now(), ?, 'second', 'test')")) {
                    ps.setString(1, actor);
                    return ps.executeUpdate();
                }
            });
            throw new IllegalStateException("roll back");
        })).hasMessageContaining("roll back");

        try (Connection c = dataSource.getConnection()) {
            assertThat(count(c, actor)).as("the entity and the JDBC row rolled back together").isZero();
        }
    }

    @Test
    void outsideAJtaTransaction_commitsItsOwn() throws SQLException {
        String actor = "runner-test-" + UUID.randomUUID();

        runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor, action, entity_type) VALUES (now(), ?, 'own', 'test')")) {
                ps.setString(1, actor);
                return ps.executeUpdate();
            }
        });

        try (Connection c = dataSource.getConnection()) {
            assertThat(count(c, actor)).isEqualTo(1);
        }
    }

    @Test
    void insideAJtaTransaction_theTimeoutHoldsForTheWorkOnly() {
        String[] seen = new String[3];
        QuarkusTransaction.requiringNew().run(() -> {
            seen[0] = onTheTransactionsConnection();
            seen[1] = runner.preview(QueryRunnerTransactionTest::setting);
            seen[2] = onTheTransactionsConnection();
        });

        assertThat(seen[1]).as("the preview timeout, during the work").isNotEqualTo(seen[0]);
        assertThat(seen[2]).as("put back after the work").isEqualTo(seen[0]);
    }

    private String onTheTransactionsConnection() {
        try (Connection c = dataSource.getConnection()) { // inside a JTA transaction: its enlisted connection
            return setting(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection c, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log WHERE actor = ?")) {
            ps.setString(1, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String setting(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('statement_timeout')"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
