package dev.segmenta.persistence.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A row of {@code audit_log} (V1); {@code before} and {@code after} are JSON text, or null. Rows are never changed. */
@Entity
@Table(name = "audit_log")
public class AuditEntryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public Instant at;
    public String actor;
    public String action;
    @Column(name = "entity_type")
    public String entityType;
    @Column(name = "entity_id")
    public String entityId;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String before;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String after;

    AuditLog.Entry view() {
        return new AuditLog.Entry(id, at, actor, action, entityType, entityId, before, after);
    }
}
