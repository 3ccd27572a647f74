package dev.segmenta.persistence.segment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code segment_owners} (V40): who owns a segment, when one was set (else its creator owns it). */
@Entity
@Table(name = "segment_owners")
public class SegmentOwnerEntity extends PanacheEntityBase {
    @Id
    @Column(name = "segment_id")
    public Long segmentId;
    public String owner;
    @Column(name = "set_at")
    public Instant setAt;
    @Column(name = "set_by")
    public String setBy;
}
