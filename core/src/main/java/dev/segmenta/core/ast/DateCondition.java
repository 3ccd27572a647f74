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
    default <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
        return visitor.date(this, argument);
    }

    /**
     * One method per written form, for the consumers that print or judge the form itself (printer, describer,
     * checker, nearest misses); evaluators read {@link #interval} instead. A new form breaks the build at each.
     */
    interface Visitor<R> {
        R before(Before condition);

        R after(After condition);

        R on(On condition);

        R between(Between condition);

        R withinLast(WithinLast condition);

        R moreThanAgo(MoreThanAgo condition);

        R withinNext(WithinNext condition);
    }

    <R> R accept(DateCondition.Visitor<R> visitor);

    TimeInterval interval(Instant now, ZoneId zone);

    /** {@code before D}: {@code t < start(D)}; with a date-time, {@code t < T}. */
    record Before(TimeLiteral time) implements DateCondition {
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.before(this);
        }

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
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.after(this);
        }

        public After {
            requireNonNull(time, "time is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return time.after(zone);
        }
    }

    /** {@code on D}: {@code start(D) <= t < start(D+1)}; only date-only literals. */
    record On(TimeLiteral.Day day) implements DateCondition {
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.on(this);
        }

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
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.between(this);
        }

        public Between {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return to.through(from.start(zone), zone);
        }
    }

    /** {@code within last N u}: {@code now - N*u < t <= now}. */
    record WithinLast(Span span) implements DateCondition {
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.withinLast(this);
        }

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
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.moreThanAgo(this);
        }

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
        @Override
        public <R> R accept(DateCondition.Visitor<R> visitor) {
            return visitor.withinNext(this);
        }

        public WithinNext {
            requireNonNull(span, "span is null");
        }

        @Override
        public TimeInterval interval(Instant now, ZoneId zone) {
            return TimeInterval.halfOpen(now, now.plus(span.toDuration()));
        }
    }
}
