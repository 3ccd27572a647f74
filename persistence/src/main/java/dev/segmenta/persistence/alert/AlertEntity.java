package dev.segmenta.persistence.alert;

import dev.segmenta.persistence.segment.SegmentEntity;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A row of {@code alerts} (V4). {@code details} is the JSON text, written and read with the application's one mapper. */
@Entity
@Table(name = "alerts")
public class AlertEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "segment_id")
    public Long segmentId;
    /** Null for an alert about every segment; read only, {@link #segmentId} is what is written. */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "segment_id", insertable = false, updatable = false)
    public SegmentEntity segment;
    public Instant at;
    public String kind;
    public String message;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String details;
}
