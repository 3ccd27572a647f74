package dev.segmenta.persistence.segment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code segment_reviews} (V42): a verdict or comment on the version of a segment the reviewer looked at. */
@Entity
@Table(name = "segment_reviews")
public class SegmentReviewEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "segment_id")
    public Long segmentId;
    public Instant at;
    public String actor;
    /** {@link SegmentReviews.Verdict#stored}. */
    public String verdict;
    public String comment;
    @Column(name = "segment_version")
    public int segmentVersion;

    SegmentReviews.Entry view() {
        return new SegmentReviews.Entry(id, at, actor, SegmentReviews.Verdict.of(verdict), comment, segmentVersion);
    }
}
