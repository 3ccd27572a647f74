package dev.segmenta.persistence.segment;

import dev.segmenta.core.text.RuleJson;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A row of {@code segments} (V3): the definition and who saved it, written by {@link SegmentStore}. The membership
 * columns ({@code size}, {@code last_*}) are read-only here: {@link MembershipStore} alone writes them, with JDBC, in
 * the same transaction, so an entity flushed after it can never put back a stale size.
 */
@Entity
@Table(name = "segments")
public class SegmentEntity extends PanacheEntityBase {
    /** From the sequence {@code list_ids} (the column's default): lists and segments share one id space. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String description;
    /** {@code dynamic} or {@code static} ({@link Segment.Kind#label}). */
    public String kind;
    public String dsl;
    /** The AST as JSON text ({@link RuleJson}). */
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String rule;
    public int version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;
    @Column(insertable = false, updatable = false)
    public long size;
    @Column(name = "last_computed_at", insertable = false, updatable = false)
    public Instant lastComputedAt;
    @Column(name = "last_duration_ms", insertable = false, updatable = false)
    public Integer lastDurationMs;
    @Column(name = "last_error", insertable = false, updatable = false)
    public String lastError;

    Segment view() {
        return new Segment(id, name, description, Segment.Kind.fromLabel(kind), dsl, RuleJson.read(rule), version, createdAt, createdBy,
                updatedAt, updatedBy, size, lastComputedAt, lastDurationMs, lastError);
    }

    /** Sets the definition: its text, and its AST as stored JSON. */
    void define(Definition d) {
        dsl = d.dsl();
        rule = RuleJson.write(d.rule());
    }
}
