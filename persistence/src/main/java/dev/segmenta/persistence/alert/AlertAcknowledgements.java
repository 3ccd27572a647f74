package dev.segmenta.persistence.alert;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.SegmentaException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A person saying "seen, handled" about an alert: who and when, once per alert, in the audit log. */
@ApplicationScoped
public class AlertAcknowledgements {
    public record Acknowledgement(long alertId, Instant at, String actor) {}

    private final AuditLog audit;
    private final Clock clock;

    public AlertAcknowledgements(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Acknowledges the alert; false when it already was (the first acknowledgement stands). */
    @Transactional
    public boolean acknowledge(long alertId, Long expectedSegmentId, String actor) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        // The alert's row lock orders two acknowledgements of one alert: the second sees the first and returns false.
        AlertEntity alert = AlertEntity.findById(alertId, LockModeType.PESSIMISTIC_WRITE);
        if (alert == null) {
            throw SegmentaException.notFound("no alert with id " + alertId);
        }
        Long segmentId = alert.segmentId;
        if (expectedSegmentId != null && !expectedSegmentId.equals(segmentId)) {
            throw SegmentaException.notFound("segment " + expectedSegmentId + " has no alert " + alertId);
        }
        if (AcknowledgementEntity.findById(alertId) != null) {
            return false;
        }
        AcknowledgementEntity ack = new AcknowledgementEntity();
        ack.alertId = alertId;
        ack.at = now;
        ack.actor = actor;
        ack.persist();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("acknowledged", true);
        after.put("segmentId", segmentId);
        // The audit row is an entity of this same transaction.
        audit.record(actor, "acknowledge", "alert", Long.toString(alertId), Map.of("acknowledged", false), after);
        return true;
    }

    /** The acknowledgements of these alerts, by alert id. */
    @Transactional
    public Map<Long, Acknowledgement> of(List<Alert> alerts) {
        Map<Long, Acknowledgement> out = new HashMap<>();
        if (alerts.isEmpty()) {
            return out;
        }
        List<AcknowledgementEntity> rows = AcknowledgementEntity.list("alertId in ?1", alerts.stream().map(Alert::id).toList());
        for (AcknowledgementEntity k : rows) {
            out.put(k.alertId, new Acknowledgement(k.alertId, k.at, k.actor));
        }
        return out;
    }
}
