package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.ErrorCode;
import dev.segmenta.persistence.error.SegmentaException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
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

    private final AuditLog audit;
    private final Clock clock;

    public SegmentReviews(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Records a verdict or comment on the segment's current version. A request for changes needs a comment saying what. */
    @Transactional
    public Entry add(long id, Verdict verdict, String comment, String actor) {
        String text = comment == null ? "" : comment.strip();
        if (text.length() > 4000) {
            throw new SegmentaException(ErrorCode.BadParams, "comment: at most 4000 characters, got " + text.length());
        }
        if (text.isEmpty() && verdict != Verdict.REVIEWED) {
            throw new SegmentaException(ErrorCode.BadParams, verdict == Verdict.COMMENT ? "write a comment first"
                    : "say what should change: a request for changes needs a comment");
        }
        // The row lock: the version reviewed is the one saved when the review is, not one an edit is replacing.
        SegmentEntity s = SegmentEntity.<SegmentEntity>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> SegmentaException.notFound("no segment with id " + id));
        SegmentReviewEntity review = new SegmentReviewEntity();
        review.segmentId = id;
        review.at = clock.instant();
        review.actor = actor;
        review.verdict = verdict.stored();
        review.comment = text;
        review.segmentVersion = s.version;
        review.persist();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("verdict", verdict.stored());
        after.put("comment", text);
        after.put("version", s.version);
        audit.record(actor, "review", "segment", Long.toString(id), null, after);
        return review.view();
    }

    /** Newest first. */
    @Transactional
    public List<Entry> history(long id) {
        return SegmentReviewEntity.<SegmentReviewEntity>list("segmentId", Sort.descending("id"), id).stream()
                .map(SegmentReviewEntity::view).toList();
    }

    public Status status(long id) {
        Status s = statuses().get(id);
        if (s == null) {
            throw SegmentaException.notFound("no segment with id " + id);
        }
        return s;
    }

    /** Every segment's review state, by id. */
    @Transactional
    public Map<Long, Status> statuses() {
        Map<Long, Entry> lastVerdict = new HashMap<>();
        Map<Long, Entry> lastEntry = new HashMap<>();
        Map<Long, Integer> reviewedVersion = new HashMap<>();
        for (SegmentReviewEntity r : SegmentReviewEntity.<SegmentReviewEntity>listAll(Sort.by("segmentId").and("id"))) {
            Entry e = r.view();
            lastEntry.put(r.segmentId, e);
            if (e.verdict() != Verdict.COMMENT) {
                lastVerdict.put(r.segmentId, e);
            }
            if (e.verdict() == Verdict.REVIEWED) {
                reviewedVersion.put(r.segmentId, e.version());
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
        List<Object[]> versions = SegmentVersionEntity.getEntityManager().createQuery("select v.segmentId, v.version, v.description, v.dsl, "
                + "v.savedAt, v.savedBy from SegmentVersionEntity v order by v.segmentId, v.version", Object[].class).getResultList();
        for (int i = 0; ; i++) {
            boolean more = i < versions.size();
            Object[] row = more ? versions.get(i) : null;
            long segment = more ? (Long) row[0] : -2;
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
            int version = (Integer) row[1];
            String description = (String) row[2];
            String dsl = (String) row[3];
            latest = version;
            if (prevDsl == null || !prevDsl.equals(dsl)) {
                ruleVersion = version;
                ruleAt = (Instant) row[4];
                ruleBy = (String) row[5];
            }
            if (prevDescription == null || !Objects.equals(prevDescription, description)) {
                descriptionVersion = version;
            }
            prevDsl = dsl;
            prevDescription = description;
        }
        return out;
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
}
