package dev.segmenta.persistence.imports;

import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The import_jobs table: one row per background CSV import, with its state and counters as the progress page shows them. */
@ApplicationScoped
public class ImportJobs {
    /** What is imported; {@code value} is the stored name. */
    public enum Kind {
        USERS("users"), LIST_MEMBERS("list-members"), STATIC_SEGMENT("static-segment");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    public record Counters(long bytesRead, long rowsRead, long rowsAccepted, long rowsRejected) {}

    public record Job(long id, String kind, String state, String actor, String fileName, String target, String targetPath, long fileBytes,
            Counters counters, Instant createdAt, Instant startedAt, Instant finishedAt, String error, Long reportId) {
        public boolean done() {
            return state.equals("finished") || state.equals("failed");
        }
    }

    private final QueryRunner runner;
    private final Clock clock;

    public ImportJobs(QueryRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /** A queued job; returns its id. */
    public long create(Kind kind, String actor, String fileName, String target, String targetPath, long fileBytes) {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_jobs (kind, state, actor, file_name, target, target_path, "
                    + "file_bytes, created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, kind.value());
                ps.setString(2, actor);
                ps.setString(3, fileName == null || fileName.isBlank() ? "upload.csv" : fileName);
                ps.setString(4, target);
                ps.setString(5, targetPath);
                ps.setLong(6, fileBytes);
                ps.setTimestamp(7, Timestamp.from(clock.instant()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public void started(long id) {
        update("UPDATE import_jobs SET state = 'running', started_at = ? WHERE id = ?", Timestamp.from(clock.instant()), id);
    }

    public void progress(long id, Counters counters) {
        update("UPDATE import_jobs SET bytes_read = ?, rows_read = ?, rows_accepted = ?, rows_rejected = ? WHERE id = ? AND state = 'running'",
                counters.bytesRead(), counters.rowsRead(), counters.rowsAccepted(), counters.rowsRejected(), id);
    }

    /** Finished: the final counters, the report of rejected rows, and the target's page when it was made by the job. */
    public void finished(long id, Counters counters, long reportId, String targetPath) {
        update("UPDATE import_jobs SET state = 'finished', finished_at = ?, bytes_read = file_bytes, rows_read = ?, rows_accepted = ?, "
                + "rows_rejected = ?, report_id = ?, target_path = coalesce(?, target_path) WHERE id = ?", Timestamp.from(clock.instant()),
                counters.rowsRead(), counters.rowsAccepted(), counters.rowsRejected(), reportId, targetPath, id);
    }

    public void failed(long id, Counters counters, String error) {
        update("UPDATE import_jobs SET state = 'failed', finished_at = ?, bytes_read = ?, rows_read = ?, rows_accepted = ?, rows_rejected = ?, "
                + "error = ? WHERE id = ?", Timestamp.from(clock.instant()), counters.bytesRead(), counters.rowsRead(), counters.rowsAccepted(),
                counters.rowsRejected(), error, id);
    }

    /**
     * Jobs left queued or running by a stopped server: failed, saying so. Chunks written before the stop stay written (each
     * chunk is its own transaction), which the message says too.
     */
    public int abandonUnfinished() {
        return (int) update("UPDATE import_jobs SET state = 'failed', finished_at = ?, error = 'the server stopped before this import "
                + "finished; the rows written before it stopped (see the counts) stay imported — upload the file again to import the rest' "
                + "WHERE state IN ('queued', 'running')", Timestamp.from(clock.instant()));
    }

    public Job get(long id) {
        List<Job> found = query("SELECT * FROM import_jobs WHERE id = ?", id);
        if (found.isEmpty()) {
            throw SegmentaException.notFound("no import job with id " + id);
        }
        return found.get(0);
    }

    /** The newest jobs first. */
    public List<Job> recent(int limit) {
        return query("SELECT * FROM import_jobs ORDER BY created_at DESC, id DESC LIMIT ?", Math.max(1, Math.min(limit, 500)));
    }

    private long update(String sql, Object... params) {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return (long) ps.executeUpdate();
            }
        });
    }

    private List<Job> query(String sql, Object... params) {
        return runner.inTransaction(c -> {
            List<Job> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Job(rs.getLong("id"), rs.getString("kind"), rs.getString("state"), rs.getString("actor"),
                            rs.getString("file_name"), rs.getString("target"), rs.getString("target_path"), rs.getLong("file_bytes"),
                            new Counters(rs.getLong("bytes_read"), rs.getLong("rows_read"), rs.getLong("rows_accepted"),
                                    rs.getLong("rows_rejected")), instant(rs, "created_at"), instant(rs, "started_at"),
                            instant(rs, "finished_at"), rs.getString("error"), (Long) rs.getObject("report_id")));
                }
            }
            return out;
        });
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
