package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Who was in a segment at an instant, replayed from the change log: a user was in when their last change at or
 * before the instant is {@code entered}. Users deleted since are listed by id with no email or user id.
 */
@ApplicationScoped
public class MembershipAt {
    private final QueryRunner runner;
    private final SegmentStore segments;

    public MembershipAt(QueryRunner runner, SegmentStore segments) {
        this.runner = runner;
        this.segments = segments;
    }

    /** One page, ordered by user id, after {@code cursor}. */
    public SegmentViews.MemberPage members(long segmentId, Instant at, long cursor, int limit) {
        segments.get(segmentId);
        int n = Math.max(1, Math.min(limit, SegmentMembers.MAX_PAGE));
        return runner.inTransaction(c -> {
            List<SegmentViews.Member> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT l.user_pk, u.email, u.user_id FROM (SELECT DISTINCT ON (user_pk) user_pk, "
                    + "change FROM segment_changes WHERE segment_id = ? AND at <= ? AND user_pk > ? ORDER BY user_pk, at DESC, id DESC) l "
                    + "LEFT JOIN users u ON u.id = l.user_pk WHERE l.change = 'entered' ORDER BY l.user_pk LIMIT ?")) {
                ps.setLong(1, segmentId);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setLong(3, cursor);
                ps.setInt(4, n + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new SegmentViews.Member(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            Long next = null;
            if (page.size() > n) {
                page = new ArrayList<>(page.subList(0, n));
                next = page.get(n - 1).id();
            }
            return new SegmentViews.MemberPage(page, next);
        });
    }

    /** How many were in at the instant. */
    public long count(long segmentId, Instant at) {
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT DISTINCT ON (user_pk) change FROM segment_changes "
                    + "WHERE segment_id = ? AND at <= ? ORDER BY user_pk, at DESC, id DESC) l WHERE l.change = 'entered'")) {
                ps.setLong(1, segmentId);
                ps.setTimestamp(2, Timestamp.from(at));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
