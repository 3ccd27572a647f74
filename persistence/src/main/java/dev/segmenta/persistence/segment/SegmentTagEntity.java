package dev.segmenta.persistence.segment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code segment_tags} (V40): one tag of one segment, stored lower-case. */
@Entity
@Table(name = "segment_tags")
@IdClass(SegmentTagEntity.Key.class)
public class SegmentTagEntity extends PanacheEntityBase {
    @Id
    @Column(name = "segment_id")
    public Long segmentId;
    @Id
    public String tag;

    /** The primary key: segment and tag. */
    public static class Key implements Serializable {
        public Long segmentId;
        public String tag;

        public Key() {}

        public Key(Long segmentId, String tag) {
            this.segmentId = segmentId;
            this.tag = tag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(segmentId, k.segmentId) && Objects.equals(tag, k.tag);
        }

        @Override
        public int hashCode() {
            return Objects.hash(segmentId, tag);
        }
    }
}
