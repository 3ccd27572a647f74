package dev.segmenta.core.eval;

import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.TimeInterval;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An {@link Evidence} in plain words, one sentence per fact: {@code 1 purchase event in the 30 days since
 * 2026-10-30 12:00 UTC, needs at least 3}, {@code state is "CA"}, {@code last login 3 days ago (2026-11-26 09:00 UTC),
 * 4 login events}. Never a Java record's or map's {@code toString}.
 */
final class EvidenceText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Instant now;
    private final ZoneId zone;
    private final Misses misses;

    EvidenceText(Instant now, ZoneId zone, Misses misses) {
        this.now = now;
        this.zone = zone;
        this.misses = misses;
    }

    List<String> of(Evidence evidence) {
        return evidence == null ? new ArrayList<>() : evidence.accept(lines);
    }

    /** The lines of each kind of evidence: the facts the rule was decided on. */
    private final Evidence.Visitor<List<String>> lines = new Evidence.Visitor<>() {
        @Override
        public List<String> field(Evidence.FieldValues f) {
            return lines(f.values().isEmpty() ? f.field() + " is not set" : f.field() + (f.values().size() == 1 ? " is " : " has ")
                    + f.values().stream().map(misses::show).collect(Collectors.joining(", ")));
        }

        @Override
        public List<String> events(Evidence.Events e) {
            List<String> out = new ArrayList<>();
            String window = interval(e.window());
            out.add(EvidenceText.events(e.count(), e.eventName()) + (window.isEmpty() ? "" : " " + window)
                    + (e.required() == null ? "" : ", needs " + count(e.required())));
            if (e.aggregate() != null) {
                Evidence.AggregateResult a = e.aggregate();
                String value = a.value() == null ? " has no value" : " is " + misses.show(a.value());
                out.add(a.function() + "(" + a.field() + ")" + value + " over " + a.values() + " value" + (a.values() == 1 ? "" : "s")
                        + (a.holds() ? ", as the rule needs" : ", which the rule does not accept"));
            }
            e.events().forEach(found -> out.add(e.eventName() + " at " + time(found.createdAt()) + fields(found.dataFields())));
            return out;
        }

        @Override
        public List<String> recency(Evidence.Recency r) {
            return lines(r.time() == null ? "never performed " + r.eventName()
                    : r.which() + " " + r.eventName() + " " + misses.relative(r.time()) + " (" + time(r.time()) + "), "
                            + EvidenceText.events(r.count(), r.eventName()));
        }

        @Override
        public List<String> list(Evidence.ListMembership l) {
            return lines(l.listId() == null ? "there is no list " + RuleLabel.text(l.listName())
                    : (l.member() ? "on the list " : "not on the list ") + RuleLabel.text(l.listName()));
        }

        @Override
        public List<String> subscription(Evidence.Subscription s) {
            return lines(s.reason() != null ? s.reason()
                    : (s.subscribed() ? "subscribed to " : "not subscribed to ") + s.target() + " " + RuleLabel.text(s.name()));
        }

        @Override
        public List<String> sequence(Evidence.Sequence q) {
            List<String> out = new ArrayList<>();
            out.add("reached " + q.stepsReached() + " of " + q.positiveSteps() + " step"
                    + (q.positiveSteps() == 1 ? "" : "s") + (q.chain().isEmpty() ? "" : ": " + q.chain().stream()
                            .map(e -> e.eventName() + " at " + time(e.createdAt())).collect(Collectors.joining(", then "))));
            if (q.blocking() != null) {
                out.add("followed by " + q.blocking().eventName() + " at " + time(q.blocking().createdAt()));
            }
            if (q.pendingUntil() != null) {
                out.add("the time to wait has not run out yet: it ends " + time(q.pendingUntil()));
            }
            return out;
        }

        @Override
        public List<String> bucket(Evidence.Bucket b) {
            return lines(b.bucket() == null ? "no userId or email to take a bucket from"
                    : "random bucket " + b.bucket() + " (from " + RuleLabel.text(b.identity()) + ")");
        }

        @Override
        public List<String> segment(Evidence.SegmentReference s) {
            return lines(s.known() ? "in segment " + RuleLabel.text(s.segmentName()) + " when its definition below holds"
                    : "there is no segment " + RuleLabel.text(s.segmentName()));
        }

        private List<String> lines(String line) {
            List<String> out = new ArrayList<>();
            out.add(line);
            return out;
        }
    };

    /** {@code "at least 3"}, {@code "exactly 1"}. */
    static String count(Count count) {
        return count.op().keywords() + " " + count.times();
    }

    static String events(long n, String eventName) {
        return n + " " + eventName + " event" + (n == 1 ? "" : "s");
    }

    /** The window events were counted in: empty for all time, else e.g. {@code "between … and …"}. */
    String interval(TimeInterval window) {
        if (window == null || (window.from() == null && window.to() == null)) {
            return "";
        }
        if (window.from() != null && window.to() != null) {
            return "between " + time(window.from()) + " and " + (window.to().equals(now) ? "now" : time(window.to()));
        }
        if (window.from() != null) {
            return (window.fromInclusive() ? "since " : "after ") + time(window.from());
        }
        return (window.toInclusive() ? "up to " : "before ") + time(window.to());
    }

    String time(Instant t) {
        return TIME.format(t.atZone(zone)) + " " + (zone.normalized().equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId());
    }

    private String fields(Map<String, Object> dataFields) {
        if (dataFields == null || dataFields.isEmpty()) {
            return "";
        }
        return " with " + dataFields.entrySet().stream().map(f -> f.getKey() + " " + misses.show(f.getValue()))
                .collect(Collectors.joining(", "));
    }
}
