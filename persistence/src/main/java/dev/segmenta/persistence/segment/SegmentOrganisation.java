package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.ErrorCode;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How a team keeps its segments in order: who owns each one, its tags, and whether it is archived (hidden from the
 * list by default and not recomputed on schedule). Every change is one transaction with its audit row.
 */
@ApplicationScoped
public class SegmentOrganisation {
    /** Tags: 1–40 characters of letters, digits, spaces, '-', '_', '/' and '.'; stored lower-case. */
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N} _./-]{1,40}");

    /** What the list and the segment page show beside a segment. {@code archivedAt} is null when it is active. */
    public record Labels(String owner, List<String> tags, Instant archivedAt, String archivedBy) {
        public boolean archived() {
            return archivedAt != null;
        }
    }

    private final QueryRunner runner;
    private final AuditLog audit;
    private final Clock clock;

    public SegmentOrganisation(QueryRunner runner, AuditLog audit, Clock clock) {
        this.runner = runner;
        this.audit = audit;
        this.clock = clock;
    }

    /** Labels of every segment, by id. */
    public Map<Long, Labels> all() {
        return runner.inTransaction(c -> {
            Map<Long, String> owners = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id, COALESCE(o.owner, s.created_by) FROM segments s "
                    + "LEFT JOIN segment_owners o ON o.segment_id = s.id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getLong(1), displayOwner(rs.getString(2)));
                }
            }
            Map<Long, Set<String>> tags = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, tag FROM segment_tags"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tags.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
            Map<Long, Object[]> archived = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, archived_at, archived_by FROM segment_archive");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    archived.put(rs.getLong(1), new Object[] {rs.getTimestamp(2).toInstant(), rs.getString(3)});
                }
            }
            Map<Long, Labels> out = new LinkedHashMap<>();
            for (Map.Entry<Long, String> e : owners.entrySet()) {
                Object[] a = archived.get(e.getKey());
                out.put(e.getKey(), new Labels(e.getValue(), List.copyOf(tags.getOrDefault(e.getKey(), Set.of())),
                        a == null ? null : (Instant) a[0], a == null ? null : (String) a[1]));
            }
            return out;
        });
    }

    public Labels of(long id) {
        Labels labels = all().get(id);
        if (labels == null) {
            throw SegmentaException.notFound("no segment with id " + id);
        }
        return labels;
    }

    /** Ids of the archived segments: the scheduler leaves them out. */
    public Set<Long> archivedIds() {
        return runner.inTransaction(c -> {
            Set<Long> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id FROM segment_archive"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    public void archive(long id, String actor) {
        runner.inTransaction(c -> {
            lock(c, id);
            int added = update(c, "INSERT INTO segment_archive (segment_id, archived_at, archived_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    id, Timestamp.from(clock.instant()), actor);
            if (added > 0) {
                audit.record(c, actor, "archive", "segment", Long.toString(id), Map.of("archived", false), Map.of("archived", true));
            }
            return null;
        });
    }

    public void unarchive(long id, String actor) {
        runner.inTransaction(c -> {
            lock(c, id);
            if (update(c, "DELETE FROM segment_archive WHERE segment_id = ?", id) > 0) {
                audit.record(c, actor, "unarchive", "segment", Long.toString(id), Map.of("archived", true), Map.of("archived", false));
            }
            return null;
        });
    }

    public void setOwner(long id, String owner, String actor) {
        String clean = owner == null ? "" : owner.trim();
        if (clean.isEmpty() || clean.length() > 100) {
            throw new SegmentaException(ErrorCode.BadParams, "owner: give a user name of 1 to 100 characters");
        }
        runner.inTransaction(c -> {
            Segment s = lock(c, id);
            String before = currentOwner(c, s);
            update(c, "INSERT INTO segment_owners (segment_id, owner, set_at, set_by) VALUES (?, ?, ?, ?) ON CONFLICT (segment_id) "
                    + "DO UPDATE SET owner = EXCLUDED.owner, set_at = EXCLUDED.set_at, set_by = EXCLUDED.set_by",
                    id, clean, Timestamp.from(clock.instant()), actor);
            audit.record(c, actor, "owner", "segment", Long.toString(id), Map.of("owner", before), Map.of("owner", clean));
            return null;
        });
    }

    /** Adds a tag; returns it as stored (trimmed, lower-case). */
    public String addTag(long id, String tag, String actor) {
        String clean = tag == null ? "" : tag.trim().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(clean).matches()) {
            throw new SegmentaException(ErrorCode.BadParams, "tag '" + (tag == null ? "" : tag.trim())
                    + "': use 1 to 40 letters, digits, spaces or - _ . /");
        }
        return runner.inTransaction(c -> {
            lock(c, id);
            List<String> before = tags(c, id);
            if (update(c, "INSERT INTO segment_tags (segment_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", id, clean) > 0) {
                audit.record(c, actor, "tag", "segment", Long.toString(id), Map.of("tags", before), Map.of("tags", tags(c, id)));
            }
            return clean;
        });
    }

    public void removeTag(long id, String tag, String actor) {
        String clean = tag == null ? "" : tag.trim().toLowerCase(Locale.ROOT);
        runner.inTransaction(c -> {
            lock(c, id);
            List<String> before = tags(c, id);
            if (update(c, "DELETE FROM segment_tags WHERE segment_id = ? AND tag = ?", id, clean) > 0) {
                audit.record(c, actor, "untag", "segment", Long.toString(id), Map.of("tags", before), Map.of("tags", tags(c, id)));
            }
            return null;
        });
    }

    /** Every tag in use, alphabetically. */
    public List<String> allTags() {
        return runner.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT tag FROM segment_tags ORDER BY tag"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** "web:alice" (how the audit log names a person) is shown, and matched, as "alice". */
    static String displayOwner(String owner) {
        return owner != null && owner.startsWith("web:") ? owner.substring(4) : owner;
    }

    private static Segment lock(Connection c, long id) throws SQLException {
        return SegmentRepository.find(c, id, true).orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
    }

    private static String currentOwner(Connection c, Segment s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT owner FROM segment_owners WHERE segment_id = ?")) {
            ps.setLong(1, s.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : displayOwner(s.createdBy());
            }
        }
    }

    private static List<String> tags(Connection c, long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM segment_tags WHERE segment_id = ? ORDER BY tag")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
