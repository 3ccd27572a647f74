package dev.segmenta.core.ast;

import java.time.Instant;

/**
 * A set of instants between two optional ends, each inclusive or exclusive. {@code null} ends are unbounded.
 * Both the in-memory evaluator and the SQL compiler test times against this, so they agree on every boundary.
 */
public record TimeInterval(Instant from, boolean fromInclusive, Instant to, boolean toInclusive) {

    public static final TimeInterval ALL = new TimeInterval(null, false, null, false);

    public static TimeInterval before(Instant end) {
        return new TimeInterval(null, false, end, false);
    }

    public static TimeInterval after(Instant start) {
        return new TimeInterval(start, false, null, false);
    }

    public static TimeInterval atOrAfter(Instant start) {
        return new TimeInterval(start, true, null, false);
    }

    public static TimeInterval halfOpen(Instant start, Instant end) {
        return new TimeInterval(start, true, end, false);
    }

    public static TimeInterval closed(Instant start, Instant end) {
        return new TimeInterval(start, true, end, true);
    }

    public boolean contains(Instant t) {
        if (from != null) {
            int c = t.compareTo(from);
            if (c < 0 || (c == 0 && !fromInclusive)) {
                return false;
            }
        }
        if (to != null) {
            int c = t.compareTo(to);
            if (c > 0 || (c == 0 && !toInclusive)) {
                return false;
            }
        }
        return true;
    }
}
