package dev.segmenta.persistence.segment;

import static java.util.Objects.requireNonNull;

import dev.segmenta.persistence.changelog.ChangeLog;
import dev.segmenta.persistence.view.SegmentViews;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer of segment membership ({@code segment_members}), the change log ({@code segment_changes}), sizes
 * ({@code segments.size}, {@code last_*}) and size history ({@code segment_size_history}), on the caller's
 * transaction. Recompute (SQL, shared SQL and columnar) and real time hand it who is in; it writes the diff so that
 * previous size + entered − exited = new size holds for every writer, and appends to the change log under
 * {@link ChangeLog#lockForAppend} so webhook cursors never skip a row.
 *
 * <p>Plain JDBC, no CDI: the recompute service, the real-time service and the benchmark call it with a connection
 * whose transaction they commit.
 */
public final class MembershipStore {
    private MembershipStore() {}

    /** How many users entered and exited one segment in one write. */
    public record Flips(long entered, long exited) {
        public static final Flips NONE = new Flips(0, 0);

        public Flips {
            if (entered < 0 || exited < 0) {
                throw new IllegalArgumentException("flips are counts, got " + entered + "/" + exited);
            }
        }

        public boolean any() {
            return entered + exited > 0;
        }
    }

    /** Whether one user should be in a segment now, and the cause the change log gets if that moves them. */
    public record Verdict(long userPk, boolean in, String cause) {
        public Verdict {
            requireNonNull(cause, "cause is null");
        }
    }

    /** What a recompute wrote for one segment, before size and history are recorded. */
    public record Written(long size, Flips flips) {}

    // ---- recompute: replace a segment's membership with a computed set -----------------------------------------

    /**
     * Replaces segment {@code segmentId}'s membership with the users of {@code table}'s {@code user_pk} column (a
     * temporary table of the caller's transaction; its name is the caller's constant, never user input).
     */
    static Written replaceFromTable(Connection c, long segmentId, String table, Instant at, String cause) throws SQLException {
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        long entered = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, n.user_pk, ?, 'entered', ? "
                + "FROM " + table + " n WHERE NOT EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ? AND m.user_pk = n.user_pk)",
                segmentId, t, cause, segmentId);
        long exited = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, m.user_pk, ?, 'exited', ? "
                + "FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS (SELECT 1 FROM " + table + " n WHERE n.user_pk = m.user_pk)",
                segmentId, t, cause, segmentId);
        update(c, "DELETE FROM segment_members m WHERE m.segment_id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM " + table + " n WHERE n.user_pk = m.user_pk)", segmentId);
        update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT ?, n.user_pk, ? FROM " + table + " n "
                + "ON CONFLICT DO NOTHING", segmentId, t);
        return new Written(size(c, segmentId), new Flips(entered, exited));
    }

    /**
     * As {@link #replaceFromTable} for several segments at once: {@code table} has {@code (segment_id, user_pk)} rows
     * for every segment of {@code segmentIds}. The result has an entry for each of them.
     */
    static Map<Long, Written> replaceAllFromTable(Connection c, List<Long> segmentIds, String table, Instant at, String cause)
            throws SQLException {
        Array ids = c.createArrayOf("bigint", segmentIds.toArray(Long[]::new));
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        Map<Long, Long> entered = counts(c, "WITH logged AS (INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) "
                + "SELECT n.segment_id, n.user_pk, ?, 'entered', ? FROM " + table + " n WHERE NOT EXISTS "
                + "(SELECT 1 FROM segment_members m WHERE m.segment_id = n.segment_id AND m.user_pk = n.user_pk) "
                + "ORDER BY n.segment_id, n.user_pk RETURNING segment_id) SELECT segment_id, count(*) FROM logged GROUP BY segment_id",
                t, cause);
        Map<Long, Long> exited = counts(c, "WITH logged AS (INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) "
                + "SELECT m.segment_id, m.user_pk, ?, 'exited', ? FROM segment_members m WHERE m.segment_id = ANY (?) AND NOT EXISTS "
                + "(SELECT 1 FROM " + table + " n WHERE n.segment_id = m.segment_id AND n.user_pk = m.user_pk) "
                + "ORDER BY m.segment_id, m.user_pk RETURNING segment_id) SELECT segment_id, count(*) FROM logged GROUP BY segment_id",
                t, cause, ids);
        update(c, "DELETE FROM segment_members m WHERE m.segment_id = ANY (?) AND NOT EXISTS "
                + "(SELECT 1 FROM " + table + " n WHERE n.segment_id = m.segment_id AND n.user_pk = m.user_pk)", ids);
        update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT n.segment_id, n.user_pk, ? FROM " + table + " n "
                + "ON CONFLICT DO NOTHING", t);
        Map<Long, Long> sizes = counts(c, "SELECT segment_id, count(*) FROM segment_members WHERE segment_id = ANY (?) GROUP BY segment_id", ids);
        Map<Long, Written> out = new LinkedHashMap<>();
        for (long id : segmentIds) {
            out.put(id, new Written(sizes.getOrDefault(id, 0L), new Flips(entered.getOrDefault(id, 0L), exited.getOrDefault(id, 0L))));
        }
        return out;
    }

    /**
     * Replaces segment {@code segmentId}'s membership with {@code memberPks} (any order), as an engine computed them:
     * the stored membership is read and only the users who entered or exited are written. Users deleted since the
     * engine saw them are left out.
     */
    static Written replaceWith(Connection c, long segmentId, long[] memberPks, Instant at, String cause) throws SQLException {
        long[] members = memberPks.clone();
        java.util.Arrays.sort(members);
        long[] stored;
        try (PreparedStatement ps = c.prepareStatement("SELECT user_pk FROM segment_members WHERE segment_id = ? ORDER BY user_pk")) {
            ps.setLong(1, segmentId);
            ps.setFetchSize(10_000);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            stored = out.stream().mapToLong(Long::longValue).toArray();
        }
        Long[] entering = difference(members, stored);
        Long[] exiting = difference(stored, members);
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        long entered = 0;
        long exited = 0;
        if (entering.length > 0) {
            Array pks = c.createArrayOf("bigint", entering);
            // Only users that still exist: the change log and the membership must name the same users.
            entered = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, u.id, ?, 'entered', ? "
                    + "FROM users u WHERE u.id = ANY (?) ORDER BY u.id", segmentId, t, cause, pks);
            update(c, "INSERT INTO segment_members (segment_id, user_pk, since) SELECT ?, u.id, ? FROM users u WHERE u.id = ANY (?) "
                    + "ON CONFLICT DO NOTHING", segmentId, t, pks);
        }
        if (exiting.length > 0) {
            Array pks = c.createArrayOf("bigint", exiting);
            exited = update(c, "INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) SELECT ?, x, ?, 'exited', ? "
                    + "FROM unnest(?::bigint[]) x ORDER BY x", segmentId, t, cause, pks);
            update(c, "DELETE FROM segment_members WHERE segment_id = ? AND user_pk = ANY (?)", segmentId, pks);
        }
        return new Written(size(c, segmentId), new Flips(entered, exited));
    }

    /**
     * Stores the size and a history row for one recomputed segment (with the engine that computed it and why SQL
     * did, if it was a fallback) and checks its guards; {@code durationMs} is recorded as given.
     */
    static SegmentViews.Computation recordComputation(Connection c, long segmentId, int version, Written written, String cause,
            Instant at, int durationMs, String engine, String fallback) throws SQLException {
        Timestamp t = Timestamp.from(at);
        update(c, "UPDATE segments SET size = ?, last_computed_at = ?, last_duration_ms = ?, last_error = NULL WHERE id = ?",
                written.size(), t, durationMs, segmentId);
        update(c, "INSERT INTO segment_size_history (segment_id, at, size, entered, exited, duration_ms, cause, version, engine, "
                + "engine_fallback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", segmentId, t, written.size(), written.flips().entered(),
                written.flips().exited(), durationMs, cause, version, engine, fallback);
        return new SegmentViews.Computation(written.size(), written.flips().entered(), written.flips().exited(), durationMs,
                checkGuards(c, segmentId), engine, fallback);
    }

    /** Records why the last recompute of a segment failed (cleared by the next one that succeeds). */
    static void recordFailure(Connection c, long segmentId, String message) throws SQLException {
        update(c, "UPDATE segments SET last_error = ? WHERE id = ?", message, segmentId);
    }

    // ---- real time: apply single users' flips ------------------------------------------------------------------

    /**
     * Applies real-time flips to segment {@code segmentId} at {@code version}: change log rows with each user's
     * cause, membership, the size moved by entered − exited, and a history row whose cause is the most frequent one.
     * Does nothing and returns {@link Flips#NONE} when the segment is gone, no longer dynamic or redefined since
     * {@code version} was evaluated (its definition's own recompute is authoritative), or when {@code verdicts}
     * (user → should be in, with the cause) moves nobody.
     */
    public static Flips applyVerdicts(Connection c, long segmentId, int version, Map<Long, Verdict> verdicts, Instant at, long startNanos)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version, kind, size FROM segments WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != version || !"dynamic".equals(rs.getString(2))) {
                    return Flips.NONE;
                }
            }
        }
        java.util.Set<Long> members = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT user_pk FROM segment_members WHERE segment_id = ? AND user_pk = ANY (?)")) {
            ps.setLong(1, segmentId);
            ps.setArray(2, c.createArrayOf("bigint", verdicts.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    members.add(rs.getLong(1));
                }
            }
        }
        List<Verdict> flips = new ArrayList<>(); // the verdicts that move a user
        for (Verdict verdict : verdicts.values()) {
            if (verdict.in() != members.contains(verdict.userPk())) {
                flips.add(verdict);
            }
        }
        if (flips.isEmpty()) {
            return Flips.NONE;
        }
        Timestamp t = Timestamp.from(at);
        ChangeLog.lockForAppend(c);
        List<Long> enter = new ArrayList<>();
        List<Long> exit = new ArrayList<>();
        Map<String, Integer> causes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_changes (segment_id, user_pk, at, change, cause) VALUES (?, ?, ?, ?, ?)")) {
            for (Verdict flip : flips) {
                ps.setLong(1, segmentId);
                ps.setLong(2, flip.userPk());
                ps.setTimestamp(3, t);
                ps.setString(4, flip.in() ? "entered" : "exited");
                ps.setString(5, flip.cause());
                ps.addBatch();
                (flip.in() ? enter : exit).add(flip.userPk());
                causes.merge(flip.cause(), 1, Integer::sum);
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_members (segment_id, user_pk, since) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING")) {
            for (Long pk : enter) {
                ps.setLong(1, segmentId);
                ps.setLong(2, pk);
                ps.setTimestamp(3, t);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        update(c, "DELETE FROM segment_members WHERE segment_id = ? AND user_pk = ANY (?)", segmentId,
                c.createArrayOf("bigint", exit.toArray()));
        long size;
        try (PreparedStatement ps = c.prepareStatement("UPDATE segments SET size = size + ? WHERE id = ? RETURNING size")) {
            ps.setLong(1, enter.size() - exit.size());
            ps.setLong(2, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                size = rs.getLong(1);
            }
        }
        String cause = causes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        update(c, "INSERT INTO segment_size_history (segment_id, at, size, entered, exited, duration_ms, cause, version) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", segmentId, t, size, (long) enter.size(), (long) exit.size(),
                (int) ((System.nanoTime() - startNanos) / 1_000_000), cause, version);
        return new Flips(enter.size(), exit.size());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static long size(Connection c, long segmentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM segment_members WHERE segment_id = ?")) {
            ps.setLong(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Records each guard user's current membership; returns those whose membership is not what was pinned. */
    private static List<SegmentViews.GuardFlip> checkGuards(Connection c, long segmentId) throws SQLException {
        update(c, "UPDATE segment_guards g SET last_result = EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = g.segment_id "
                + "AND m.user_pk = g.user_pk) WHERE g.segment_id = ?", segmentId);
        List<SegmentViews.GuardFlip> flips = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT g.user_pk, u.email, u.user_id, g.expect_in FROM segment_guards g "
                + "JOIN users u ON u.id = g.user_pk WHERE g.segment_id = ? AND g.last_result <> g.expect_in ORDER BY g.user_pk")) {
            ps.setLong(1, segmentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flips.add(new SegmentViews.GuardFlip(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return flips;
    }

    /** The elements of sorted {@code a} that are not in sorted {@code b}. */
    private static Long[] difference(long[] a, long[] b) {
        List<Long> out = new ArrayList<>();
        int j = 0;
        for (long x : a) {
            while (j < b.length && b[j] < x) {
                j++;
            }
            if (j >= b.length || b[j] != x) {
                out.add(x);
            }
        }
        return out.toArray(Long[]::new);
    }

    private static Map<Long, Long> counts(Connection c, String sql, Object... params) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (PreparedStatement ps = Statements.prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        return Statements.update(c, sql, params);
    }
}
