package dev.segmenta.persistence.lock;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A session-level PostgreSQL advisory lock held on a dedicated connection for as long as the work runs, so one
 * node among several sharing the database does it. Closing releases the lock (and so does a crashed node's
 * connection dropping).
 */
public final class AdvisoryLock implements AutoCloseable {
    /** Scheduled recompute ("SEGRECMP"). */
    public static final long RECOMPUTE = 0x5345475245_434DL;
    /** Webhook delivery ("SEGWEBHK"). */
    public static final long WEBHOOKS = 0x5345475745_4248L;

    private final Connection connection;
    private final long key;

    private AdvisoryLock(Connection connection, long key) {
        this.connection = connection;
        this.key = key;
    }

    /** The lock, or empty at once when another session holds it. */
    public static Optional<AdvisoryLock> tryAcquire(AgroalDataSource dataSource, long key) {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new AdvisoryLock(c, key));
                    }
                }
            }
            c.close();
            return Optional.empty();
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("could not take advisory lock " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        } catch (SQLException e) {
            // Closing the connection below ends the session, which releases the lock anyway.
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
