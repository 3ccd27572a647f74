package dev.segmenta.persistence.lists;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Reports of browser uploads (rows imported, each rejected row with its line and reason), kept to be read and downloaded. */
@ApplicationScoped
public class ImportReports {
    public record Stored(long id, Instant at, String actor, String target, String targetPath, String fileName, long rowsImported,
            long rowsRejected, List<ImportReport.Rejection> rejected) {}

    private static final TypeReference<List<ImportReport.Rejection>> REJECTIONS = new TypeReference<>() {};

    private final QueryRunner runner;
    private final ObjectMapper json;
    private final Clock clock;

    public ImportReports(QueryRunner runner, ObjectMapper json, Clock clock) {
        this.runner = runner;
        this.json = json;
        this.clock = clock;
    }

    /** Stores the report; returns its id. Only the first {@link ImportReport#MAX_LISTED} rejections are listed. */
    public long save(String actor, String target, String targetPath, String fileName, long rowsImported, long rowsRejected,
            List<ImportReport.Rejection> rejected) {
        List<ImportReport.Rejection> listed = rejected.size() > ImportReport.MAX_LISTED ? rejected.subList(0, ImportReport.MAX_LISTED) : rejected;
        String body;
        try {
            body = json.writeValueAsString(listed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the import report", e);
        }
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_reports (at, actor, target, target_path, file_name, "
                    + "rows_imported, rows_rejected, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setString(2, actor);
                ps.setString(3, target);
                ps.setString(4, targetPath);
                ps.setString(5, fileName == null || fileName.isBlank() ? "upload.csv" : fileName);
                ps.setLong(6, rowsImported);
                ps.setLong(7, rowsRejected);
                ps.setString(8, body);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public Stored get(long id) {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, actor, target, target_path, file_name, rows_imported, "
                    + "rows_rejected, rejected::text FROM import_reports WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw SegmentaException.notFound("no import report with id " + id);
                    }
                    List<ImportReport.Rejection> rejected;
                    try {
                        rejected = json.readValue(rs.getString(9), REJECTIONS);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("import report " + id + " is unreadable", e);
                    }
                    return new Stored(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getLong(7), rs.getLong(8), rejected);
                }
            }
        });
    }
}
