package dev.segmenta.persistence.runs;

import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of scheduled recompute runs: {@code recompute_runs} (one row per run, {@code running} until it
 * finishes) and {@code recompute_run_segments} (what each segment of a run did). Written by the recompute, read by
 * the freshness endpoint and the Runs page ({@link RunLog}).
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
            List<Freshness.Run> last = runs(c, "SELECT * FROM recompute_runs ORDER BY started_at DESC, id DESC LIMIT 1");
            List<Freshness.Run> stuck = runs(c, "SELECT * FROM recompute_runs WHERE status = 'running' AND started_at < ? ORDER BY id",
                    Timestamp.from(stuckBefore));
            return new Freshness(schedule, last.isEmpty() ? null : last.get(0), nextRunAt, stuck);
        });
    }

    /** The most recent runs, newest first (at most 500). */
    public List<Freshness.Run> recent(int limit) {
        return runner.inTransaction(c -> runs(c, "SELECT * FROM recompute_runs ORDER BY started_at DESC, id DESC LIMIT ?",
                Math.max(1, Math.min(limit, 500))));
    }

    private static List<Freshness.Run> runs(Connection c, String sql, Object... params) throws SQLException {
        List<Freshness.Run> out = new ArrayList<>();
        Map<Long, List<Freshness.Failure>> failures = new HashMap<>();
        Map<Long, List<Freshness.Fallback>> fallbacks = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    List<Freshness.Failure> f = new ArrayList<>();
                    failures.put(id, f);
                    List<Freshness.Fallback> fb = new ArrayList<>();
                    fallbacks.put(id, fb);
                    Timestamp finished = rs.getTimestamp("finished_at");
                    out.add(new Freshness.Run(id, rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                            (Integer) rs.getObject("duration_ms"), rs.getString("status"), rs.getString("node"), rs.getInt("segments_ok"),
                            rs.getInt("segments_failed"), f, fb));
                }
            }
        }
        for (Map.Entry<Long, List<Freshness.Failure>> e : failures.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, segment_name, error FROM recompute_run_segments "
                    + "WHERE run_id = ? AND NOT ok ORDER BY segment_id")) {
                ps.setLong(1, e.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        e.getValue().add(new Freshness.Failure(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        for (Map.Entry<Long, List<Freshness.Fallback>> e : fallbacks.entrySet()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, segment_name, engine_fallback FROM recompute_run_segments "
                    + "WHERE run_id = ? AND engine_fallback IS NOT NULL ORDER BY segment_id")) {
                ps.setLong(1, e.getKey());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        e.getValue().add(new Freshness.Fallback(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        return out;
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
