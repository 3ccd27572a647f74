package dev.segmenta.persistence.sql;

import dev.segmenta.persistence.config.SegmentaConfig;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Runs segment queries under the statement timeout ({@code segmenta.query.statement-timeout}), in one
 * transaction, and turns a cancelled query into a clear {@code QueryTimeout} error instead of a hung request.
 */
@ApplicationScoped
public class QueryRunner {
    private static final String QUERY_CANCELED = "57014";

    private final AgroalDataSource dataSource;
    private final SegmentaConfig config;

    public QueryRunner(AgroalDataSource dataSource, SegmentaConfig config) {
        this.dataSource = dataSource;
        this.config = config;
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

    private <T> T inTransaction(java.time.Duration timeout, String setting, Work<T> work) {
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
}
