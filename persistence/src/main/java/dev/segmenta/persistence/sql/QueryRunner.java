package dev.segmenta.persistence.sql;

import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * Runs JDBC work under the statement timeout ({@code segmenta.query.statement-timeout}), in one transaction, and turns
 * a cancelled query into a clear {@code QueryTimeout} error instead of a hung request.
 *
 * <p>Which transaction: called outside a JTA transaction, the work gets a connection and a transaction of its own,
 * committed when it returns. Called inside one (a {@code @Transactional} service writing entities), it joins it:
 * Agroal hands out the connection enlisted in that transaction, so the work sees the entities written so far (they
 * are flushed first) and commits or rolls back with them; the runner never commits it. The timeout then holds for
 * the work only ({@code SET LOCAL}, put back afterwards).
 */
@ApplicationScoped
public class QueryRunner {
    private static final String QUERY_CANCELED = "57014";

    private final AgroalDataSource dataSource;
    private final SegmentaConfig config;
    private final TransactionManager transactions;
    private final EntityManager entities;

    public QueryRunner(AgroalDataSource dataSource, SegmentaConfig config, TransactionManager transactions, EntityManager entities) {
        this.dataSource = dataSource;
        this.config = config;
        this.transactions = transactions;
        this.entities = entities;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T inTransaction(Work<T> work) {
        return inTransaction(config.query().statementTimeout(), "segmenta.query.statement-timeout", work);
    }

    /** As {@link #inTransaction(Work)}, for previews and impact: under the shorter {@code segmenta.query.preview-timeout}. */
    public <T> T preview(Work<T> work) {
        return inTransaction(config.query().previewTimeout(), "segmenta.query.preview-timeout", work);
    }

    private <T> T inTransaction(Duration timeout, String setting, Work<T> work) {
        try {
            return inJtaTransaction() ? joined(timeout, work) : own(timeout, work);
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState())) {
                throw new SegmentaException(ErrorCode.QueryTimeout, "The rule took longer than "
                        + timeout.toSeconds() + " s to evaluate and was stopped. Narrow it (add a time "
                        + "window or a more selective condition) or raise " + setting + ".",
                        Map.of("timeoutMillis", timeout.toMillis()));
            }
            throw new IllegalStateException("segment query failed: " + e.getMessage(), e);
        }
    }

    private boolean inJtaTransaction() {
        try {
            return transactions.getStatus() != Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            throw new IllegalStateException("could not read the transaction status", e);
        }
    }

    private <T> T own(Duration timeout, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    // SET cannot take a bind parameter; the value is a number from configuration.
                    s.execute("SET LOCAL statement_timeout = " + timeout.toMillis());
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private <T> T joined(Duration timeout, Work<T> work) throws SQLException {
        entities.flush();
        try (Connection c = dataSource.getConnection()) {
            String before = statementTimeout(c, Long.toString(timeout.toMillis()));
            T result;
            try {
                result = work.run(c);
            } catch (SQLException e) {
                // PostgreSQL has aborted the transaction: it can only roll back now, whoever catches this.
                markRollbackOnly();
                throw e;
            }
            statementTimeout(c, before);
            return result;
        }
    }

    /** Sets this transaction's statement timeout and returns the one it replaces. */
    private static String statementTimeout(Connection c, String value) throws SQLException {
        String before;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('statement_timeout')")) {
            rs.next();
            before = rs.getString(1);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            ps.setString(1, value);
            ps.execute();
        }
        return before;
    }

    private void markRollbackOnly() {
        try {
            transactions.setRollbackOnly();
        } catch (IllegalStateException | SystemException e) {
            // Already completing: the failure that brought us here rolls it back.
        }
    }
}
