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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Team review of segments: verdicts and comments per segment, and from them and the version history, the review
 * state and whether the description is stale — the rule changed in a later version than the one in which the
 * description was last edited or reviewed. Versions, not clock times, decide "later", so edits in the same second
 * still count.
 */
@ApplicationScoped
public class SegmentReviews {
    public enum Verdict {
        REVIEWED("reviewed"), CHANGES_REQUESTED("changes_requested"), COMMENT("comment");

        private final String stored;

        Verdict(String stored) {
            this.stored = stored;
        }

        public String stored() {
            return stored;
        }

        public static Verdict of(String s) {
            for (Verdict v : values()) {
                if (v.stored.equals(s)) {
                    return v;
                }
            }
            throw new SegmentaException(ErrorCode.BadParams, "verdict must be reviewed, changes_requested or comment, not '" + s + "'");
        }
    }

    public record Entry(long id, Instant at, String actor, Verdict verdict, String comment, int version) {}

    /**
     * A segment's review state. {@code state}: "not reviewed", "reviewed", "changes requested" or "changed since
     * review"; {@code reason} says why it needs review (empty when it does not).
     */
    public record Status(String state, boolean needsReview, String reason, boolean descriptionStale, String staleReason, Entry lastVerdict,
            Entry lastEntry, int ruleVersion, Instant ruleChangedAt, String ruleChangedBy, int descriptionVersion) {}

    private final QueryRunner runner;
    private final AuditLog audit;
    private final Clock clock;

    public SegmentReviews(QueryRunner runner, AuditLog audit, Clock clock) {
        this.runner = runner;
        this.audit = audit;
        this.clock = clock;
    }

    /** Records a verdict or comment on the segment's current version. A request for changes needs a comment saying what. */
    public Entry add(long id, Verdict verdict, String comment, String actor) {
        String text = comment == null ? "" : comment.strip();
        if (text.length() > 4000) {
            throw new SegmentaException(ErrorCode.BadParams, "comment: at most 4000 characters, got " + text.length());
        }
        if (text.isEmpty() && verdict != Verdict.REVIEWED) {
            throw new SegmentaException(ErrorCode.BadParams, verdict == Verdict.COMMENT ? "write a comment first"
                    : "say what should change: a request for changes needs a comment");
        }
        Instant now = clock.instant();
        return runner.inTransaction(c -> {
            Segment s = SegmentRepository.find(c, id, true).orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO segment_reviews (segment_id, at, actor, verdict, comment, segment_version) "
                    + "VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, id);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, actor);
                ps.setString(4, verdict.stored());
                ps.setString(5, text);
                ps.setInt(6, s.version());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Entry entry = new Entry(rs.getLong(1), now, actor, verdict, text, s.version());
                    Map<String, Object> after = new LinkedHashMap<>();
                    after.put("verdict", verdict.stored());
                    after.put("comment", text);
                    after.put("version", s.version());
                    audit.record(c, actor, "review", "segment", Long.toString(id), null, after);
                    return entry;
                }
            }
        });
    }

    /** Newest first. */
    public List<Entry> history(long id) {
        return runner.inTransaction(c -> entries(c, id));
    }

    public Status status(long id) {
        Status s = statuses().get(id);
        if (s == null) {
            throw SegmentaException.notFound("no segment with id " + id);
        }
        return s;
    }

    /** Every segment's review state, by id. */
    public Map<Long, Status> statuses() {
        return runner.inTransaction(c -> {
            Map<Long, Entry> lastVerdict = new HashMap<>();
            Map<Long, Entry> lastEntry = new HashMap<>();
            Map<Long, Integer> reviewedVersion = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, id, at, actor, verdict, comment, segment_version "
                    + "FROM segment_reviews ORDER BY segment_id, id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long segment = rs.getLong(1);
                    Entry e = new Entry(rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4), Verdict.of(rs.getString(5)),
                            rs.getString(6), rs.getInt(7));
                    lastEntry.put(segment, e);
                    if (e.verdict() != Verdict.COMMENT) {
                        lastVerdict.put(segment, e);
                    }
                    if (e.verdict() == Verdict.REVIEWED) {
                        reviewedVersion.put(segment, e.version());
                    }
                }
            }
            Map<Long, Status> out = new LinkedHashMap<>();
            long current = -1;
            String prevDsl = null;
            String prevDescription = null;
            int ruleVersion = 0;
            int descriptionVersion = 0;
            Instant ruleAt = null;
            String ruleBy = null;
            int latest = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, version, description, dsl, saved_at, saved_by "
                    + "FROM segment_versions ORDER BY segment_id, version"); ResultSet rs = ps.executeQuery()) {
                while (true) {
                    boolean more = rs.next();
                    long segment = more ? rs.getLong(1) : -2;
                    if (segment != current) {
                        if (current >= 0) {
                            out.put(current, status(lastVerdict.get(current), lastEntry.get(current), reviewedVersion.getOrDefault(current, 0),
                                    latest, ruleVersion, ruleAt, ruleBy, descriptionVersion));
                        }
                        current = segment;
                        prevDsl = null;
                        prevDescription = null;
                    }
                    if (!more) {
                        break;
                    }
                    int version = rs.getInt(2);
                    String description = rs.getString(3);
                    String dsl = rs.getString(4);
                    latest = version;
                    if (prevDsl == null || !prevDsl.equals(dsl)) {
                        ruleVersion = version;
                        ruleAt = rs.getTimestamp(5).toInstant();
                        ruleBy = rs.getString(6);
                    }
                    if (prevDescription == null || !Objects.equals(prevDescription, description)) {
                        descriptionVersion = version;
                    }
                    prevDsl = dsl;
                    prevDescription = description;
                }
            }
            return out;
        });
    }

    private static Status status(Entry verdict, Entry last, int reviewedVersion, int latest, int ruleVersion, Instant ruleAt, String ruleBy,
            int descriptionVersion) {
        boolean stale = ruleVersion > Math.max(descriptionVersion, reviewedVersion);
        String staleReason = stale ? "the rule changed in version " + ruleVersion + ", after the description was last "
                + (descriptionVersion >= reviewedVersion ? "edited (version " + descriptionVersion + ")" : "reviewed (version " + reviewedVersion + ")")
                : "";
        String state;
        String reason;
        if (verdict == null) {
            state = "not reviewed";
            reason = "never reviewed";
        } else if (verdict.verdict() == Verdict.CHANGES_REQUESTED) {
            state = "changes requested";
            reason = "changes requested by " + display(verdict.actor()) + ": " + verdict.comment();
        } else if (Math.max(ruleVersion, descriptionVersion) > verdict.version()) {
            state = "changed since review";
            reason = "reviewed at version " + verdict.version() + "; the " + (ruleVersion > verdict.version() ? "rule" : "description")
                    + " changed since (now version " + latest + ")";
        } else {
            state = "reviewed";
            reason = "";
        }
        return new Status(state, !reason.isEmpty(), reason, stale, staleReason, verdict, last, ruleVersion, ruleAt, ruleBy, descriptionVersion);
    }

    static String display(String actor) {
        return actor != null && actor.startsWith("web:") ? actor.substring(4) : actor;
    }

    private static List<Entry> entries(Connection c, long id) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, at, actor, verdict, comment, segment_version FROM segment_reviews "
                + "WHERE segment_id = ? ORDER BY id DESC")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), Verdict.of(rs.getString(4)),
                            rs.getString(5), rs.getInt(6)));
                }
            }
        }
        return out;
    }
}
