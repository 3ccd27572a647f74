package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A condition on a point in time: a date field, the time of a first/last event, or an event window. Each one is
 * a {@link TimeInterval} once the evaluation instant {@code now} and the project time zone are known, which is
 * the one place both evaluators take the arithmetic from.
 */
public sealed interface DateCondition extends FieldCondition {

    @Override
    default <R> R accept(FieldCondition.Visitor<R> visitor) {
        return visitor.date(this);
    }


    TimeInterval interval(Instant now, ZoneId zone);

    /** {@code before D}: {@code t < start(D)}; with a date-time, {@code t < T}. */
    record Before(TimeLiteral time) implements DateCondition {
        public Before {
            requireNonNull(time, "time is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return TimeInterval.before(time.start(zone));
        }
    }

    /** {@code after D}: {@code t >= start(D+1)}; with a date-time, {@code t > T}. */
    record After(TimeLiteral time) implements DateCondition {
        public After {
            requireNonNull(time, "time is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            if (time instanceof TimeLiteral.Day day) {
                return TimeInterval.atOrAfter(day.end(zone));
            }
            return TimeInterval.after(time.start(zone));
        }
    }

    /** {@code on D}: {@code start(D) <= t < start(D+1)}; only date-only literals. */
    record On(TimeLiteral.Day day) implements DateCondition {
        public On {
            requireNonNull(day, "day is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return TimeInterval.halfOpen(day.start(zone), day.end(zone));
        }
    }

    /**
     * {@code between D1 and D2}: {@code start(D1) <= t < start(D2+1)}; with date-times, inclusive at both ends.
     * A date-only end takes its whole day; a date-time end is inclusive.
     */
    record Between(TimeLiteral from, TimeLiteral to) implements DateCondition {
        public Between {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            Instant start = from.start(zone);
            if (to instanceof TimeLiteral.Day day) {
                return TimeInterval.halfOpen(start, day.end(zone));
            }
            return TimeInterval.closed(start, to.start(zone));
        }
    }

    /** {@code within last N u}: {@code now - N*u < t <= now}. */
    record WithinLast(Span span) implements DateCondition {
        public WithinLast {
            requireNonNull(span, "span is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return new TimeInterval(now.minus(span.toDuration()), false, now, true);
        }
    }

    /** {@code more than N u ago}: {@code t < now - N*u}. */
    record MoreThanAgo(Span span) implements DateCondition {
        public MoreThanAgo {
            requireNonNull(span, "span is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return TimeInterval.before(now.minus(span.toDuration()));
        }
    }

    /** {@code within next N u}: {@code now <= t < now + N*u}. */
    record WithinNext(Span span) implements DateCondition {
        public WithinNext {
            requireNonNull(span, "span is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return TimeInterval.halfOpen(now, now.plus(span.toDuration()));
        }
    }
}
