package dev.segmenta.core.ast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/**
 * A point or a day on the calendar. A date-only literal {@code D} is the whole day in the project time zone:
 * {@code before D} means before the day starts, {@code after D} means from the next day on, {@code on D} the
 * day itself. A date-time literal is one instant.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TimeLiteral.Day.class, name = "day"),
    @JsonSubTypes.Type(value = TimeLiteral.Moment.class, name = "moment"),
})
public sealed interface TimeLiteral {

    /** One method per kind of time literal: a new kind breaks the build at every consumer until it is handled. */
    interface Visitor<R> {
        R day(Day literal);

        R moment(Moment literal);
    }

    <R> R accept(Visitor<R> visitor);

    /** The first instant this literal covers, in the given project time zone. */
    Instant start(ZoneId zone);

    /** {@code after} this literal: from the next day on for a day, strictly later for a date-time. */
    TimeInterval after(ZoneId zone);

    /** From {@code start} up to this literal: through its whole day for a day, inclusive for a date-time. */
    TimeInterval through(Instant start, ZoneId zone);

    /** Whether {@code t} is what this literal names in an equality: any instant of its day, or this instant. */
    boolean names(Instant t, ZoneId zone);

    /** The text form is {@code YYYY-MM-DD...}, so only years 0000 to 9999 can be written and read back. */
    private static void requireFourDigitYear(int year) {
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("a date needs a year from 0000 to 9999, got " + year);
        }
    }

    /** {@code 2026-01-31}: the whole day in the project time zone. */
    record Day(LocalDate date) implements TimeLiteral {
        @Override
        public <R> R accept(TimeLiteral.Visitor<R> visitor) {
            return visitor.day(this);
        }

        public Day {
            requireNonNull(date, "date is null");
            requireFourDigitYear(date.getYear());
        }

        @Override
        public Instant start(ZoneId zone) {
            return date.atStartOfDay(zone).toInstant();
        }

        @Override
        public TimeInterval after(ZoneId zone) {
            return TimeInterval.atOrAfter(end(zone));
        }

        @Override
        public TimeInterval through(Instant start, ZoneId zone) {
            return TimeInterval.halfOpen(start, end(zone));
        }

        @Override
        public boolean names(Instant t, ZoneId zone) {
            return !t.isBefore(start(zone)) && t.isBefore(end(zone));
        }

        /** The first instant of the following day: the exclusive end of this day. */
        public Instant end(ZoneId zone) {
            return date.plusDays(1).atStartOfDay(zone).toInstant();
        }
    }

    /** {@code 2026-01-31T10:00:00Z}: one instant; its offset is kept so the text prints back the same. */
    record Moment(OffsetDateTime dateTime) implements TimeLiteral {
        @Override
        public <R> R accept(TimeLiteral.Visitor<R> visitor) {
            return visitor.moment(this);
        }

        public Moment {
            requireNonNull(dateTime, "dateTime is null");
            requireFourDigitYear(dateTime.getYear());
            // The text form writes offsets as ±hh:mm; an offset with seconds could not be written back.
            if (dateTime.getOffset().getTotalSeconds() % 60 != 0) {
                throw new IllegalArgumentException("a date-time offset must be whole minutes: " + dateTime);
            }
        }

        @Override
        public Instant start(ZoneId zone) {
            return dateTime.toInstant();
        }

        @Override
        public TimeInterval after(ZoneId zone) {
            return TimeInterval.after(instant());
        }

        @Override
        public TimeInterval through(Instant start, ZoneId zone) {
            return TimeInterval.closed(start, instant());
        }

        @Override
        public boolean names(Instant t, ZoneId zone) {
            return t.equals(instant());
        }

        public Instant instant() {
            return dateTime.toInstant();
        }
    }
}
