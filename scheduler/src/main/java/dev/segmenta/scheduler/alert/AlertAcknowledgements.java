package dev.segmenta.scheduler.alert;

import dev.segmenta.persistence.audit.AuditLog;
import dev.segmenta.persistence.error.SegmentaException;
import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A person saying "seen, handled" about an alert: who and when, once per alert, in the audit log. */
@ApplicationScoped
public class AlertAcknowledgements {
    public record Acknowledgement(long alertId, Instant at, String actor) {}

    private final QueryRunner runner;
    private final AuditLog audit;
    private final Clock clock;

    public AlertAcknowledgements(QueryRunner runner, AuditLog audit, Clock clock) {
        this.runner = runner;
        this.audit = audit;
        this.clock = clock;
    }

    /** Acknowledges the alert; false when it already was (the first acknowledgement stands). */
    public boolean acknowledge(long alertId, Long expectedSegmentId, String actor) {
        Instant now = clock.instant();
        return runner.inTransaction(c -> {
            Long segmentId;
            try (PreparedStatement ps = c.prepareStatement("SELECT segment_id, kind, message FROM alerts WHERE id = ?")) {
                ps.setLong(1, alertId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw SegmentaException.notFound("no alert with id " + alertId);
                    }
                    segmentId = (Long) rs.getObject(1);
                }
            }
            if (expectedSegmentId != null && !expectedSegmentId.equals(segmentId)) {
                throw SegmentaException.notFound("segment " + expectedSegmentId + " has no alert " + alertId);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_acknowledgements (alert_id, at, actor) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                ps.setLong(1, alertId);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, actor);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("acknowledged", true);
            after.put("segmentId", segmentId);
            audit.record(c, actor, "acknowledge", "alert", Long.toString(alertId), Map.of("acknowledged", false), after);
            return true;
        });
    }

    /** The acknowledgements of these alerts, by alert id. */
    public Map<Long, Acknowledgement> of(List<Alert> alerts) {
        Map<Long, Acknowledgement> out = new HashMap<>();
        if (alerts.isEmpty()) {
            return out;
        }
        return runner.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, at, actor FROM alert_acknowledgements WHERE alert_id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", alerts.stream().map(Alert::id).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), new Acknowledgement(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }
}
