package dev.segmenta.persistence.alert;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
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

    /** The newest {@code limit} alerts (only unacknowledged ones when {@code openOnly}), and how many are open and in all. */
    @Transactional
    public Page list(boolean openOnly, int limit) {
        int n = Math.max(1, Math.min(limit, 1000));
        EntityManager em = AlertEntity.getEntityManager();
        List<Entry> out = new ArrayList<>();
        for (Object[] row : em.createQuery("select a, s.name, k from AlertEntity a left join a.segment s "
                + "left join AcknowledgementEntity k on k.alertId = a.id where (:openOnly = false or k.alertId is null) "
                + "order by a.at desc, a.id desc", Object[].class).setParameter("openOnly", openOnly).setMaxResults(n).getResultList()) {
            AlertEntity a = (AlertEntity) row[0];
            AcknowledgementEntity k = (AcknowledgementEntity) row[2];
            out.add(new Entry(a.id, a.segmentId, (String) row[1], a.at, a.kind, a.message, k == null ? null : k.actor, k == null ? null : k.at));
        }
        Object[] counts = em.createQuery("select count(case when k.alertId is null then 1 end), count(a) from AlertEntity a "
                + "left join AcknowledgementEntity k on k.alertId = a.id", Object[].class).getSingleResult();
        return new Page(out, (Long) counts[0], (Long) counts[1]);
    }
}
