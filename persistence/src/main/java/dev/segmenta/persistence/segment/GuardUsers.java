package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.users.UserReader;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Guard users: users pinned in or out of a segment, checked at every recompute ({@link MembershipStore}) so that a
 * rule edit that moves them is seen.
 */
@ApplicationScoped
public class GuardUsers {
    private final QueryRunner runner;
    private final SegmentStore store;
    private final UserReader users;
    private final AuditLog audit;
    private final Clock clock;

    public GuardUsers(QueryRunner runner, SegmentStore store, UserReader users, AuditLog audit, Clock clock) {
        this.runner = runner;
        this.store = store;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    public void addGuard(long id, Identity identity, boolean expectIn, String actor) {
        store.get(id);
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        runner.inTransaction(c -> {
            Statements.update(c, "INSERT INTO segment_guards (segment_id, user_pk, expect_in, added_at, added_by, last_result) "
                    + "VALUES (?, ?, ?, ?, ?, EXISTS (SELECT 1 FROM segment_members WHERE segment_id = ? AND user_pk = ?)) "
                    + "ON CONFLICT (segment_id, user_pk) DO UPDATE SET expect_in = EXCLUDED.expect_in",
                    id, pk, expectIn, Timestamp.from(clock.instant()), actor, id, pk);
            audit.record(c, actor, "guard", "segment", Long.toString(id), null, Map.of("user", identity.toString(), "expectIn", expectIn));
            return null;
        });
    }

    public void removeGuard(long id, Identity identity, String actor) {
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        runner.inTransaction(c -> {
            if (Statements.update(c, "DELETE FROM segment_guards WHERE segment_id = ? AND user_pk = ?", id, pk) == 0) {
                throw SegmentaException.notFound("user " + identity + " is not a guard user of segment " + id);
            }
            audit.record(c, actor, "unguard", "segment", Long.toString(id), Map.of("user", identity.toString()), null);
            return null;
        });
    }

    public List<SegmentViews.Guard> guards(long id) {
        store.get(id);
        return runner.inTransaction(c -> {
            List<SegmentViews.Guard> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT g.user_pk, u.email, u.user_id, g.expect_in, g.last_result FROM segment_guards g "
                    + "JOIN users u ON u.id = g.user_pk WHERE g.segment_id = ? ORDER BY g.user_pk")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SegmentViews.Guard(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                                (Boolean) rs.getObject(5)));
                    }
                }
            }
            return out;
        });
    }
}
