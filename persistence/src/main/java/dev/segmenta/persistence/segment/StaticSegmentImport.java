package dev.segmenta.persistence.segment;

import dev.segmenta.core.ast.ListRule;
import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.ingest.ListMembers;
import dev.segmenta.persistence.ingest.csv.IdentityCsv;
import dev.segmenta.persistence.ingest.csv.ImportReport;
import dev.segmenta.persistence.lists.ImportReports;
import dev.segmenta.persistence.lists.ListService;
import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.Reader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A static segment made in one step from an uploaded CSV of existing users, matched on {@code email} or
 * {@code userId}. The members go into a list named "{@code <segment> (CSV)}" and the segment is
 * {@code in list "<segment> (CSV)"}, computed once and never again. Rows that match no user, repeat a user, or cannot
 * be read are rejected one by one, and the report (line and reason) is stored for the uploader.
 */
@ApplicationScoped
public class StaticSegmentImport {
    public record Outcome(Segment segment, long listId, long reportId, long accepted, List<ImportReport.Rejection> rejected) {}

    private static final int LOOKUP_CHUNK = 1000;

    private final SegmentStore segments;
    private final ListService lists;
    private final ListMembers listMembers;
    private final ImportReports reports;
    private final QueryRunner runner;
    private final AuditLog audit;

    public StaticSegmentImport(SegmentStore segments, ListService lists, ListMembers listMembers, ImportReports reports,
            QueryRunner runner, AuditLog audit) {
        this.listMembers = listMembers;
        this.segments = segments;
        this.lists = lists;
        this.reports = reports;
        this.runner = runner;
        this.audit = audit;
    }

    public static String listName(String segmentName) {
        return segmentName.trim() + " (CSV)";
    }

    /**
     * What {@link #create} refuses before it reads the file: no name, a name already taken, an unknown {@code matchOn}.
     * Returns the column to match on ({@code email} or {@code userId}).
     */
    public String check(String name, String matchOn) {
        if (name == null || name.isBlank()) {
            throw SegmentaException.badParams("name", "give the segment a name");
        }
        String column = "userId".equalsIgnoreCase(matchOn) ? "userId" : "email".equalsIgnoreCase(matchOn) ? "email" : null;
        if (column == null) {
            throw SegmentaException.badParams("matchOn", "match on 'email' or 'userId', not '" + matchOn + "'");
        }
        if (segments.findByName(name.trim()).isPresent()) {
            throw new SegmentaException(ErrorCode.Conflict, "a segment named '" + name.trim() + "' already exists");
        }
        return column;
    }

    /** What a background import hears after each chunk of rows it matched: rows read so far, accepted (members) and rejected. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (read, accepted, rejected) -> {};

        void matched(long rowsRead, long rowsAccepted, long rowsRejected);
    }

    /** {@code matchOn}: {@code email} or {@code userId}. */
    public Outcome create(String name, String description, String matchOn, String fileName, Reader csv, String actor) {
        return create(name, description, matchOn, fileName, csv, actor, Progress.NONE);
    }

    /**
     * As {@link #create(String, String, String, String, Reader, String)}, reading and matching the file {@value #LOOKUP_CHUNK}
     * rows at a time and telling {@code progress} after each chunk, so the progress page follows rows, not only bytes. Nothing
     * is written until the whole file is matched: the list, its members and the segment are then made together.
     */
    public Outcome create(String name, String description, String matchOn, String fileName, Reader csv, String actor, Progress progress) {
        String column = check(name, matchOn);
        String segmentName = name.trim();
        List<ImportReport.Rejection> rejected = new ArrayList<>();
        Map<Long, Long> firstLineOfUser = new HashMap<>();
        List<Identity> members = new ArrayList<>();
        IdentityCsv.read(csv, column, LOOKUP_CHUNK, (rows, unreadable, rowsRead) -> {
            rejected.addAll(unreadable);
            Map<String, Long> pks = lookUp(column, rows);
            for (IdentityCsv.Row row : rows) {
                Long pk = pks.get(key(column, row.value()));
                if (pk == null) {
                    rejected.add(new ImportReport.Rejection(row.line(), "no user with " + column + " '" + row.value() + "'"));
                } else if (firstLineOfUser.containsKey(pk)) {
                    rejected.add(new ImportReport.Rejection(row.line(), "the same user as line " + firstLineOfUser.get(pk)));
                } else {
                    firstLineOfUser.put(pk, row.line());
                    members.add(column.equals("email") ? Identity.ofEmail(row.value()) : Identity.ofUserId(row.value()));
                }
            }
            progress.matched(rowsRead, members.size(), rejected.size());
        });
        rejected.sort(java.util.Comparator.comparingLong(ImportReport.Rejection::line));
        if (members.isEmpty()) {
            throw SegmentaException.badParams("file", "no row of the CSV matched a user, so nothing was created"
                    + (rejected.isEmpty() ? "" : " (line " + rejected.get(0).line() + ": " + rejected.get(0).reason() + ")"));
        }
        String list = listName(segmentName);
        long listId = lists.create(list, "Members of the static segment '" + segmentName + "', uploaded from " + fileName);
        Segment created;
        try {
            listMembers.subscribe(listId, members, true);
            created = segments.create(segmentName, description == null ? "" : description.trim(), Segment.Kind.STATIC,
                    DefinitionReader.fromRule(new ListRule(list)), actor);
        } catch (RuntimeException e) {
            lists.delete(listId);
            throw e;
        }
        audit.record(actor, "create", "list", Long.toString(listId), null, Map.of("name", list, "members", members.size(),
                "forSegment", created.id()));
        long reportId = reports.save(actor, "static segment '" + segmentName + "'", "/segments/" + created.id(), fileName,
                members.size(), rejected.size(), rejected);
        return new Outcome(created, listId, reportId, members.size(), rejected);
    }

    /** Users' primary keys by the matched value (emails lower-cased: they compare case-insensitively). */
    private Map<String, Long> lookUp(String column, List<IdentityCsv.Row> rows) {
        List<String> keys = rows.stream().map(r -> key(column, r.value())).distinct().toList();
        String sql = column.equals("email") ? "SELECT email, id FROM users WHERE email = ANY (?)" : "SELECT user_id, id FROM users WHERE user_id = ANY (?)";
        Map<String, Long> out = new HashMap<>();
        for (int from = 0; from < keys.size(); from += LOOKUP_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + LOOKUP_CHUNK));
            runner.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setArray(1, c.createArrayOf("text", chunk.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    private static String key(String column, String value) {
        return column.equals("email") ? value.toLowerCase(Locale.ROOT) : value;
    }
}
