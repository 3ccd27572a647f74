package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.ingest.Identity;
import dev.segmenta.persistence.sql.QueryRunner;
import dev.segmenta.persistence.users.UserReader;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Guard users: users pinned in or out of a segment, checked at every recompute ({@link MembershipStore}) so that a
 * rule edit that moves them is seen. Adding and removing one is a JTA transaction with its audit row; the segment's
 * row lock orders it with recomputes of that segment, so the membership a new guard starts from is the current one.
 */
@ApplicationScoped
public class GuardUsers {
    private final QueryRunner runner;
    private final UserReader users;
    private final AuditLog audit;
    private final Clock clock;

    public GuardUsers(QueryRunner runner, UserReader users, AuditLog audit, Clock clock) {
        this.runner = runner;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public void addGuard(long id, Identity identity, boolean expectIn, String actor) {
        lockSegment(id);
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        GuardEntity guard = GuardEntity.findById(new GuardEntity.Key(id, pk));
        if (guard == null) {
            guard = new GuardEntity();
            guard.segmentId = id;
            guard.userPk = pk;
            guard.addedAt = clock.instant();
            guard.addedBy = actor;
            // Membership is JDBC's: read on this transaction's connection.
            guard.lastResult = runner.inTransaction(c -> SegmentRepository.isMember(c, id, pk));
            guard.expectIn = expectIn;
            guard.persist();
        } else {
            guard.expectIn = expectIn;
        }
        audit.record(actor, "guard", "segment", Long.toString(id), null, Map.of("user", identity.toString(), "expectIn", expectIn));
    }

    @Transactional
    public void removeGuard(long id, Identity identity, String actor) {
        long pk = users.find(identity).orElseThrow(() -> SegmentaException.notFound("no user " + identity)).pk();
        if (!GuardEntity.deleteById(new GuardEntity.Key(id, pk))) {
            throw SegmentaException.notFound("user " + identity + " is not a guard user of segment " + id);
        }
        audit.record(actor, "unguard", "segment", Long.toString(id), Map.of("user", identity.toString()), null);
    }

    @Transactional
    public List<SegmentViews.Guard> guards(long id) {
        if (SegmentEntity.findById(id) == null) {
            throw SegmentaException.notFound("no segment with id " + id);
        }
        return GuardEntity.<GuardEntity>find("from GuardEntity g join fetch g.user where g.segmentId = ?1 order by g.userPk", id).stream()
                .map(GuardEntity::view).toList();
    }

    private static void lockSegment(long id) {
        if (SegmentEntity.findById(id, LockModeType.PESSIMISTIC_WRITE) == null) {
            throw SegmentaException.notFound("no segment with id " + id);
        }
    }
}
