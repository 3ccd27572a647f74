package dev.segmenta.persistence.segment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/**
 * A saved segment's id and name, read-only: what records that point at a segment (alerts) show beside it. The
 * segment itself is written by {@link SegmentStore}, never through this mapping.
 */
@Entity
@Immutable
@Table(name = "segments")
public class SegmentName extends PanacheEntityBase {
    @Id
    public Long id;
    public String name;
}
