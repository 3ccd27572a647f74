package dev.segmenta.persistence.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code webhook_deliveries} (V4, V44): one POST attempt. */
@Entity
@Table(name = "webhook_deliveries")
public class DeliveryEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "webhook_id")
    public long webhookId;
    public Instant at;
    public String kind;
    @Column(name = "first_id")
    public long firstId;
    @Column(name = "last_id")
    public long lastId;
    public int items;
    public int attempt;
    @Column(name = "status_code")
    public Integer statusCode;
    public boolean ok;
    public String error;
    @Column(name = "duration_ms")
    public int durationMs;

    Delivery view() {
        return new Delivery(id, webhookId, at, kind, firstId, lastId, items, attempt, statusCode, ok, error, durationMs);
    }
}
