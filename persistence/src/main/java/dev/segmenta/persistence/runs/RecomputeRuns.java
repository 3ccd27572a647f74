package dev.segmenta.persistence.runs;

import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of scheduled recompute runs: {@code recompute_runs} (one row per run, {@code running} until it
 * finishes) and {@code recompute_run_segments} (what each segment of a run did). Written by the recompute, read as
 * {@link RecomputeRun}s by the freshness endpoint, the runs endpoint and the Runs page.
 */
@ApplicationScoped
public class RecomputeRuns {
    private final QueryRunner runner;

    public RecomputeRuns(QueryRunner runner) {
        this.runner = runner;
    }

    /**
     * Opens a run on {@code node}. Called while holding the recompute lock, so a row still {@code running} belongs to a
     * node that died mid-run: it is marked {@code abandoned} in the same transaction.
     */
    public long start(Instant startedAt, String node) {
        return runner.inTransaction(c -> {
            update(c, "UPDATE recompute_runs SET status = 'abandoned' WHERE status = 'running'");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO recompute_runs (started_at, status, node) VALUES (?, 'running', ?) "
                    + "RETURNING id")) {
                ps.setTimestamp(1, Timestamp.from(startedAt));
                ps.setString(2, node);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** What one segment of run {@code runId} did; {@code error} set when it failed, the figures when it did not. */
    public void recordSegment(long runId, long segmentId, String name, boolean ok, Long size, Long entered, Long exited, Integer durationMs,
            String error, String engine, String fallback) {
        runner.inTransaction(c -> update(c, "INSERT INTO recompute_run_segments (run_id, segment_id, segment_name, ok, size, entered, "
                + "exited, duration_ms, error, engine, engine_fallback) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId, segmentId, name, ok,
                size, entered, exited, durationMs, error, engine, fallback));
    }

    public void finish(long runId, Instant finishedAt, int durationMs, int segmentsOk, int segmentsFailed) {
        runner.inTransaction(c -> update(c, "UPDATE recompute_runs SET status = 'finished', finished_at = ?, duration_ms = ?, "
                + "segments_ok = ?, segments_failed = ? WHERE id = ?", Timestamp.from(finishedAt), durationMs, segmentsOk, segmentsFailed,
                runId));
    }

    /** The last run and the runs still {@code running} that started before {@code stuckBefore}; schedule and next run as given. */
    public Freshness freshness(String schedule, Instant nextRunAt, Instant stuckBefore) {
        return runner.inTransaction(c -> {
            List<RecomputeRun> last = runs(c, "ORDER BY started_at DESC, id DESC LIMIT 1");
            List<RecomputeRun> stuck = runs(c, "WHERE status = 'running' AND started_at < ? ORDER BY id", Timestamp.from(stuckBefore));
            return new Freshness(schedule, last.isEmpty() ? null : last.get(0), nextRunAt, stuck);
        });
    }

    /** The most recent runs, newest first (at most 500). */
    public List<RecomputeRun> recent(int limit) {
        return runner.inTransaction(c -> runs(c, "ORDER BY started_at DESC, id DESC LIMIT ?", Math.max(1, Math.min(limit, 500))));
    }

    // {@code which} is a fixed string of this class (a condition, an order, a limit), never user input.
    private static List<RecomputeRun> runs(Connection c, String which, Object... params) throws SQLException {
        List<RecomputeRun> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, finished_at, duration_ms, status, node, segments_ok, "
                + "segments_failed FROM recompute_runs " + which)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp finished = rs.getTimestamp(3);
                    runs.add(new RecomputeRun(rs.getLong(1), rs.getTimestamp(2).toInstant(), finished == null ? null : finished.toInstant(),
                            (Integer) rs.getObject(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
                            new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>()));
                }
            }
        }
        if (runs.isEmpty()) {
            return runs;
        }
        Map<Long, RecomputeRun> byId = new LinkedHashMap<>();
        runs.forEach(r -> byId.put(r.id(), r));
        Array ids = c.createArrayOf("bigint", byId.keySet().toArray());
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, coalesce(engine, 'unknown'), count(*) FROM recompute_run_segments "
                + "WHERE run_id = ANY (?) AND ok GROUP BY 1, 2 ORDER BY 1, 2")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.get(rs.getLong(1)).engines().put(rs.getString(2), rs.getInt(3));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, segment_id, segment_name, coalesce(error, 'failed without a message') "
                + "FROM recompute_run_segments WHERE run_id = ANY (?) AND NOT ok ORDER BY run_id, segment_name, segment_id")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.get(rs.getLong(1)).failures().add(new RecomputeRun.Failure(rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, segment_id, segment_name, engine_fallback FROM recompute_run_segments "
                + "WHERE run_id = ANY (?) AND engine_fallback IS NOT NULL ORDER BY run_id, segment_name, segment_id")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byId.get(rs.getLong(1)).fallbacks().add(new RecomputeRun.Fallback(rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return runs;
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
