package dev.segmenta.scheduler.alert;

import dev.segmenta.persistence.sql.QueryRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every segment's alerts in one list, newest first, with who acknowledged each; optionally only the open ones. */
@ApplicationScoped
public class AlertInbox {
    /** {@code acknowledgedBy}/{@code acknowledgedAt} are null while the alert is open; {@code segmentName} null once its segment is gone. */
    public record Entry(long id, Long segmentId, String segmentName, Instant at, String kind, String message, String acknowledgedBy,
            Instant acknowledgedAt) {
        public boolean open() {
            return acknowledgedBy == null;
        }
    }

    public record Page(List<Entry> alerts, long open, long total) {}

    private final QueryRunner runner;

    public AlertInbox(QueryRunner runner) {
        this.runner = runner;
    }

    /** The newest {@code limit} alerts (only unacknowledged ones when {@code openOnly}), and how many are open and in all. */
    public Page list(boolean openOnly, int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        return runner.inTransaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.segment_id, s.name, a.at, a.kind, a.message, k.actor, k.at "
                    + "FROM alerts a LEFT JOIN segments s ON s.id = a.segment_id LEFT JOIN alert_acknowledgements k ON k.alert_id = a.id "
                    + "WHERE (NOT ? OR k.alert_id IS NULL) ORDER BY a.at DESC, a.id DESC LIMIT ?")) {
                ps.setBoolean(1, openOnly);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp acknowledged = rs.getTimestamp(8);
                        out.add(new Entry(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                                rs.getString(5), rs.getString(6), rs.getString(7), acknowledged == null ? null : acknowledged.toInstant()));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE k.alert_id IS NULL), count(*) FROM alerts a "
                    + "LEFT JOIN alert_acknowledgements k ON k.alert_id = a.id");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Page(out, rs.getLong(1), rs.getLong(2));
            }
        });
    }
}
