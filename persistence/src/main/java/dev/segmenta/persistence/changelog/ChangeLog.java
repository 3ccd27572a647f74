package dev.segmenta.persistence.changelog;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The membership change log ({@code segment_changes}) is the outbox webhooks deliver from, by id. Ids come from a
 * sequence, so two transactions appending at once could commit out of id order and a reader that already moved its
 * cursor past the later id would never see the earlier one. Every appender therefore takes this transaction-level
 * advisory lock just before appending: appends commit one after the other, in id order.
 *
 * <p>Take it after any row locks the transaction needs (the segment row), never before, so it cannot close a cycle.
 */
public final class ChangeLog {
    /** An arbitrary constant shared by every appender ("SEGCHLOG"). */
    public static final long APPEND_LOCK = 0x5345474348_4C4FL;

    private ChangeLog() {}

    public static void lockForAppend(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
        }
    }
}
