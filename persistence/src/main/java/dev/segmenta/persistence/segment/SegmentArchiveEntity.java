package dev.segmenta.persistence.segment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code segment_archive} (V40): the segment is archived, since when and by whom. */
@Entity
@Table(name = "segment_archive")
public class SegmentArchiveEntity extends PanacheEntityBase {
    @Id
    @Column(name = "segment_id")
    public Long segmentId;
    @Column(name = "archived_at")
    public Instant archivedAt;
    @Column(name = "archived_by")
    public String archivedBy;
}
