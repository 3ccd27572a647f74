package dev.segmenta.scheduler.alert;

import dev.segmenta.persistence.alert.Alert;
import dev.segmenta.persistence.alert.AlertStore;
import dev.segmenta.scheduler.config.SchedulerConfig;
import dev.segmenta.persistence.segment.Segment;
import dev.segmenta.persistence.view.SegmentViews;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Raises alerts after a scheduled run: a size outside the band around the median of the recent full computations
 * ({@code segmenta.alerts.size-change}), and guard users whose membership newly differs from what was pinned.
 * Alerts are stored ({@link AlertStore}); webhooks pick them up from the table like membership changes.
 */
@ApplicationScoped
public class AlertService {
    private static final Logger LOG = Logger.getLogger(AlertService.class);

    private final AlertStore store;
    private final SchedulerConfig config;

    public AlertService(AlertStore store, SchedulerConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Per guard user, whether their last recorded membership matched the pin (null when never checked). */
    public Map<Long, Boolean> guardStates(long segmentId) {
        return store.guardStates(segmentId);
    }

    /** Checks the computation just stored for {@code segment}; {@code guardsBefore} is {@link #guardStates} taken before it. */
    public List<Alert> afterRun(Segment segment, SegmentViews.Computation computed, Map<Long, Boolean> guardsBefore) {
        List<Alert> raised = new ArrayList<>();
        // A guard that was already failing was reported when it flipped; report only new flips.
        List<SegmentViews.GuardFlip> flipped = computed.guardFailures().stream()
                .filter(f -> !Boolean.FALSE.equals(guardsBefore.get(f.userPk()))).toList();
        if (!flipped.isEmpty()) {
            List<Map<String, Object>> users = new ArrayList<>();
            for (SegmentViews.GuardFlip f : flipped) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("userPk", f.userPk());
                u.put("email", f.email());
                u.put("userId", f.userId());
                u.put("expected", f.expectedIn() ? "in" : "out");
                u.put("actual", f.expectedIn() ? "out" : "in");
                users.add(u);
            }
            String who = flipped.get(0).email() != null ? flipped.get(0).email() : flipped.get(0).userId();
            String message = "Guard user " + who + (flipped.size() > 1 ? " and " + (flipped.size() - 1) + " more" : "") + " of segment '"
                    + segment.name() + "' " + (flipped.get(0).expectedIn() ? "is no longer in it" : "is now in it") + ", against the pin";
            raised.add(record(segment.id(), "guard", message, Map.of("users", users)));
        }
        List<Long> previous = store.previousSizes(segment.id(), config.alerts().window());
        Optional<Double> change = SizeAnomaly.of(computed.size(), previous, config.alerts().sizeChange());
        if (change.isPresent()) {
            double median = SizeAnomaly.median(previous);
            String message = String.format(java.util.Locale.ROOT, "Segment '%s' %s to %d from a median of %s over the last %d runs (%+.0f %%)",
                    segment.name(), change.get() > 0 ? "grew" : "shrank", computed.size(), trim(median), previous.size(), change.get() * 100);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("size", computed.size());
            details.put("median", median);
            details.put("change", change.get());
            details.put("threshold", config.alerts().sizeChange());
            details.put("previous", previous);
            raised.add(record(segment.id(), "size-change", message, details));
        }
        return raised;
    }

    public Alert record(Long segmentId, String kind, String message, Map<String, Object> details) {
        LOG.warnf("alert: %s", message);
        return store.record(segmentId, kind, message, details);
    }

    /** Newest first; {@code segmentId} null for every segment. */
    public List<Alert> list(Long segmentId, int limit) {
        return store.list(segmentId, limit);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
