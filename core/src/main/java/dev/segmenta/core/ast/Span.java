package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A rule-language duration: {@code 30 days}; a week is 7 days and a month is 30 days. At most {@link #MAX}, so
 * that {@code now - span} is always a representable instant and never overflows.
 */
public record Span(long amount, Unit unit) {
    /** 100 years of 365 days. */
    public static final Duration MAX = Duration.ofDays(36_500);

    public Span {
        requireNonNull(unit, "unit is null");
        if (amount < 0) {
            throw new IllegalArgumentException("a duration cannot be negative: " + amount);
        }
        if (amount > unit.max()) {
            throw new IllegalArgumentException(tooLong(amount, unit));
        }
    }

    /** The message for a duration longer than {@link #MAX}: {@code 40000 days is longer than the limit of 36500 days (100 years)}. */
    public static String tooLong(Object amount, Unit unit) {
        return "duration " + amount + " " + unit.keyword() + "s is longer than the limit of " + unit.max() + " "
                + unit.keyword() + "s (100 years)";
    }

    public enum Unit {
        MINUTE(Duration.ofMinutes(1)),
        HOUR(Duration.ofHours(1)),
        DAY(Duration.ofDays(1)),
        WEEK(Duration.ofDays(7)),
        MONTH(Duration.ofDays(30));

        private final Duration length;

        Unit(Duration length) {
            this.length = length;
        }

        public Duration length() {
            return length;
        }

        /** The largest amount of this unit within {@link Span#MAX}: 36500 days, 5214 weeks, 1216 months. */
        public long max() {
            return MAX.toMinutes() / length.toMinutes();
        }

        /** The keyword as written in the rule language, singular: {@code day}. */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Duration toDuration() {
        return unit.length.multipliedBy(amount);
    }
}
