package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.view.SegmentViews;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code segment_guards} (V3): a user pinned in ({@code expectIn}) or out of a segment. {@code lastResult} is
 * set when the guard is added and from then on only by {@link MembershipStore}, with the membership it describes.
 */
@Entity
@Table(name = "segment_guards")
@IdClass(GuardEntity.Key.class)
public class GuardEntity extends PanacheEntityBase {
    @Id
    @Column(name = "segment_id")
    public Long segmentId;
    @Id
    @Column(name = "user_pk")
    public Long userPk;
    @Column(name = "expect_in")
    public boolean expectIn;
    @Column(name = "added_at")
    public Instant addedAt;
    @Column(name = "added_by")
    public String addedBy;
    @Column(name = "last_result", updatable = false)
    public Boolean lastResult;
    /** Read only: who the pinned user is. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "user_pk", insertable = false, updatable = false)
    public GuardedUser user;

    SegmentViews.Guard view() {
        return new SegmentViews.Guard(userPk, user.email, user.userId, expectIn, lastResult);
    }

    /** The primary key: segment and user. */
    public static class Key implements Serializable {
        public Long segmentId;
        public Long userPk;

        public Key() {}

        public Key(Long segmentId, Long userPk) {
            this.segmentId = segmentId;
            this.userPk = userPk;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(segmentId, k.segmentId) && Objects.equals(userPk, k.userPk);
        }

        @Override
        public int hashCode() {
            return Objects.hash(segmentId, userPk);
        }
    }
}
