package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** A rule-language duration: {@code 30 days}; a week is 7 days and a month is 30 days. */
public record Span(long amount, Unit unit) {
    public Span {
        requireNonNull(unit, "unit is null");
        if (amount < 0) {
            throw new IllegalArgumentException("a duration cannot be negative: " + amount);
        }
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

        /** The keyword as written in the rule language, singular: {@code day}. */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Duration toDuration() {
        return unit.length.multipliedBy(amount);
    }
}
