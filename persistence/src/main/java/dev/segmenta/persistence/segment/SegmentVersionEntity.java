package dev.segmenta.persistence.segment;

import dev.segmenta.persistence.view.SegmentViews;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.ColumnTransformer;

/** A row of {@code segment_versions} (V3): one saved state of a segment, never changed once written. */
@Entity
@Table(name = "segment_versions")
@IdClass(SegmentVersionEntity.Key.class)
public class SegmentVersionEntity extends PanacheEntityBase {
    @Id
    @Column(name = "segment_id")
    public Long segmentId;
    @Id
    public Integer version;
    public String name;
    public String description;
    public String dsl;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String rule;
    @Column(name = "saved_at")
    public Instant savedAt;
    @Column(name = "saved_by")
    public String savedBy;
    public String note;

    static SegmentVersionEntity of(SegmentEntity s, String note) {
        SegmentVersionEntity v = new SegmentVersionEntity();
        v.segmentId = s.id;
        v.version = s.version;
        v.name = s.name;
        v.description = s.description;
        v.dsl = s.dsl;
        v.rule = s.rule;
        v.savedAt = s.updatedAt;
        v.savedBy = s.updatedBy;
        v.note = note;
        return v;
    }

    SegmentViews.Version view() {
        return new SegmentViews.Version(version, name, description, dsl, savedAt, savedBy, note);
    }

    /** The primary key: segment and version. */
    public static class Key implements Serializable {
        public Long segmentId;
        public Integer version;

        public Key() {}

        public Key(Long segmentId, Integer version) {
            this.segmentId = segmentId;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(segmentId, k.segmentId) && Objects.equals(version, k.version);
        }

        @Override
        public int hashCode() {
            return Objects.hash(segmentId, version);
        }
    }
}
