package dev.segmenta.web.ui;

import dev.segmenta.persistence.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The audit log newest first, as the admin page shows it (read by {@link AuditLog}). */
@ApplicationScoped
public class AuditEntries {
    public record Entry(long id, String at, String actor, String action, String entityType, String entityId, String before, String after) {}

    private final AuditLog log;

    public AuditEntries(AuditLog log) {
        this.log = log;
    }

    /** Up to {@code limit} entries older than {@code beforeId} (all when null). */
    public List<Entry> page(Long beforeId, String actor, int limit) {
        return log.page(beforeId, actor, limit).stream()
                .map(e -> new Entry(e.id(), Times.exact(e.at()), e.actor(), e.action(), e.entityType(), e.entityId(), e.before(), e.after()))
                .toList();
    }
}
