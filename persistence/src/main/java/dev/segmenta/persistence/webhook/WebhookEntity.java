package dev.segmenta.persistence.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code webhooks} (V4). The secret stays here: {@link Webhook}, the view, never carries it. */
@Entity
@Table(name = "webhooks")
public class WebhookEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String url;
    @Column(name = "segment_id")
    public Long segmentId;
    public String secret;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "created_by")
    public String createdBy;
    public boolean enabled;
    @Column(name = "disabled_reason")
    public String disabledReason;
    @Column(name = "change_cursor")
    public long changeCursor;
    @Column(name = "alert_cursor")
    public long alertCursor;
    @Column(name = "failed_attempts")
    public int failedAttempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    Webhook view() {
        return new Webhook(id, url, segmentId, createdAt, createdBy, enabled, disabledReason, changeCursor, alertCursor, failedAttempts,
                nextAttemptAt);
    }
}
