package dev.segmenta.persistence.engine;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The users whose snapshots changed since the last poll, read from {@code engine_changes} (filled by triggers with
 * the writing transaction's id) so that no commit is ever missed.
 *
 * <p>The watermark is the oldest transaction that was still running at the previous poll
 * ({@code pg_snapshot_xmin}): every transaction below it had finished, and its rows, if it committed, were read. A
 * poll reads, in one snapshot, the new watermark and every row at or above the old one. A transaction that commits
 * late (it started before another that committed first) is above the watermark until it finishes, so it is read
 * when it becomes visible; a rolled-back transaction's rows never become visible; two writers are two transaction
 * ids like any others. Rows above the new watermark that were visible came from committed transactions, which
 * write no more rows: their ids are remembered so the next poll skips them instead of reloading their users again
 * while an older transaction holds the watermark back.
 */
public final class ChangeFeed {
    private long watermark;
    private final Set<Long> seenAboveWatermark = new HashSet<>();

    private ChangeFeed(long watermark) {
        this.watermark = watermark;
    }

    /** A feed starting now: changes of transactions still running or yet to start will be returned. */
    public static ChangeFeed startingNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) {
            rs.next();
            return new ChangeFeed(rs.getLong(1));
        }
    }

    /** A feed continuing from a position saved earlier ({@link #watermark}, {@link #committedAboveWatermark}). */
    public static ChangeFeed resume(long watermark, Set<Long> committedAboveWatermark) {
        ChangeFeed feed = new ChangeFeed(watermark);
        feed.seenAboveWatermark.addAll(committedAboveWatermark);
        return feed;
    }

    public synchronized long watermark() {
        return watermark;
    }

    /** The committed transactions above the watermark already returned (part of the feed's position). */
    public synchronized Set<Long> committedAboveWatermark() {
        return Set.copyOf(seenAboveWatermark);
    }

    /** The users changed by transactions that committed since the last poll (possibly a few again), in pk order. */
    public synchronized Set<Long> poll(Connection c) throws SQLException {
        Pending pending = read(c);
        advance(pending);
        return pending.users();
    }

    /**
     * What {@link #read} found: the changed users, and the watermark to move to once they have been applied. Until
     * {@link #advance} is called, the next read returns them again: a failure while applying loses nothing.
     */
    public record Pending(Set<Long> users, long next, Set<Long> committedAbove) {}

    /** Moves the watermark past a {@link #read} whose users were applied. */
    public synchronized void advance(Pending pending) {
        watermark = pending.next();
        seenAboveWatermark.removeIf(xid -> xid < pending.next());
        seenAboveWatermark.addAll(pending.committedAbove());
    }

    /**
     * The new watermark and the change rows at or above the old one, read by ONE statement: a statement sees one
     * snapshot (the one {@code pg_current_snapshot()} describes while it runs), so both come from the same snapshot in
     * a single round trip, whatever the connection's isolation level. The left join keeps the watermark's row when
     * nothing changed. A change row holds the users one statement changed (V201), one (transaction, user) pair each.
     */
    private static final String READ = "SELECT n.next, c.xid, c.user_pk"
            + " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS next) n"
            + " LEFT JOIN (SELECT e.xid, u.user_pk FROM engine_changes e CROSS JOIN LATERAL unnest(e.user_pks) AS u (user_pk)"
            + " WHERE e.xid >= ? AND NOT (e.xid = ANY (?))) c ON true";

    /** Reads the users changed since the watermark without moving it. */
    public synchronized Pending read(Connection c) throws SQLException {
        long next = watermark;
        Set<Long> users = new TreeSet<>();
        Set<Long> committedAbove = new HashSet<>();
        Array skip = c.createArrayOf("bigint", seenAboveWatermark.toArray());
        try (PreparedStatement ps = c.prepareStatement(READ)) {
            ps.setLong(1, watermark);
            ps.setArray(2, skip);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    next = rs.getLong(1);
                    long xid = rs.getLong(2);
                    if (rs.wasNull()) {
                        continue;
                    }
                    users.add(rs.getLong(3));
                    if (xid >= next) {
                        committedAbove.add(xid);
                    }
                }
            }
        }
        return new Pending(users, next, committedAbove);
    }

    /** Deletes change rows older than {@code retentionSeconds} (by the database's clock); returns how many. */
    public static int prune(Connection c, long retentionSeconds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM engine_changes WHERE at < now() - make_interval(secs => ?)")) {
            ps.setDouble(1, retentionSeconds);
            return ps.executeUpdate();
        }
    }
}
