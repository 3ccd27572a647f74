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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduled recompute runs as the Runs page reads them: each run with what it computed, which engine computed
 * it (and why SQL did when the columnar engine was configured), and every failed segment with its error.
 */
@ApplicationScoped
public class RunLog {
    /** One segment of a run that failed, or that SQL computed in place of the columnar engine. */
    public record SegmentNote(long segmentId, String name, String text) {}

    /** {@code engines}: how many segments each engine computed ({@code columnar}, {@code sql}; {@code unknown} before V60). */
    public record Run(long id, Instant startedAt, Instant finishedAt, Integer durationMs, String status, String node, int segmentsOk,
            int segmentsFailed, Map<String, Integer> engines, List<SegmentNote> failures, List<SegmentNote> fallbacks) {}

    private final QueryRunner runner;

    public RunLog(QueryRunner runner) {
        this.runner = runner;
    }

    /** The most recent runs, newest first (at most 500). */
    public List<Run> recent(int limit) {
        int n = Math.max(1, Math.min(limit, 500));
        return runner.inTransaction(c -> {
            List<Run> runs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, started_at, finished_at, duration_ms, status, node, segments_ok, "
                    + "segments_failed FROM recompute_runs ORDER BY started_at DESC, id DESC LIMIT ?")) {
                ps.setInt(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp finished = rs.getTimestamp(3);
                        runs.add(new Run(rs.getLong(1), rs.getTimestamp(2).toInstant(), finished == null ? null : finished.toInstant(),
                                (Integer) rs.getObject(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getInt(8),
                                new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>()));
                    }
                }
            }
            if (runs.isEmpty()) {
                return runs;
            }
            Map<Long, Run> byId = new LinkedHashMap<>();
            runs.forEach(r -> byId.put(r.id(), r));
            Object[] ids = byId.keySet().toArray();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, coalesce(engine, 'unknown'), count(*) FROM recompute_run_segments "
                    + "WHERE run_id = ANY (?) AND ok GROUP BY 1, 2 ORDER BY 1, 2")) {
                ps.setArray(1, c.createArrayOf("bigint", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byId.get(rs.getLong(1)).engines().put(rs.getString(2), rs.getInt(3));
                    }
                }
            }
            notes(c, ids, "NOT ok", "coalesce(error, 'failed without a message')", (run, note) -> byId.get(run).failures().add(note));
            notes(c, ids, "engine_fallback IS NOT NULL", "engine_fallback", (run, note) -> byId.get(run).fallbacks().add(note));
            return runs;
        });
    }

    private interface NoteSink {
        void add(long runId, SegmentNote note);
    }

    // The condition and the text column are fixed strings of this class, never user input.
    private static void notes(Connection c, Object[] runIds, String condition, String text, NoteSink sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, segment_id, segment_name, " + text + " FROM recompute_run_segments "
                + "WHERE run_id = ANY (?) AND " + condition + " ORDER BY run_id, segment_name, segment_id")) {
            ps.setArray(1, c.createArrayOf("bigint", runIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.add(rs.getLong(1), new SegmentNote(rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
    }
}
