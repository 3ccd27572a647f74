package dev.segmenta.core.ast;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code birthday anniversary within next 7 days}, {@code signupDate anniversary today}: the month and day of a
 * date value, in the project time zone, come round on one of the days from today on; 29 February falls on
 * 28 February in other years, and only years after the value's own year count.
 *
 * <p>{@code within} is {@code null} for {@code today}; otherwise whole days from 1 to {@link #MAX_DAYS}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Anniversary(Span within) implements FieldCondition {
    @Override
    public <R, A> R accept(FieldCondition.BiVisitor<R, A> visitor, A argument) {
        return visitor.anniversary(this, argument);
    }

    public static final int MAX_DAYS = 365;

    public Anniversary {
        if (within != null && !wholeDays(within)) {
            throw new IllegalArgumentException(MESSAGE);
        }
    }

    public static final String MESSAGE = "an anniversary is within whole days (1 to " + MAX_DAYS + " days)";

    public static boolean wholeDays(Span span) {
        long minutes = span.toDuration().toMinutes();
        return minutes % (24 * 60) == 0 && minutes >= 24 * 60 && minutes <= MAX_DAYS * 24L * 60;
    }

    /** How many days starting today: 1 for {@code today}. */
    public int days() {
        return within == null ? 1 : (int) within.toDuration().toDays();
    }

    /** Whether a value on {@code date} (its local date in the project zone) has an anniversary in the window. */
    public boolean holds(LocalDate date, Instant now, ZoneId zone) {
        for (Range range : windows(now, zone)) {
            if (range.contains(date)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The days [today, today + days) as at most two calendar-year ranges of {@code month * 100 + day} keys: a value
     * on local date L matches iff for one range {@code L.year < year} and {@code fromKey <= key(L) <= toKey}. In
     * a non-leap year a range that reaches 28 February also takes 29 February (key 229).
     */
    public List<Range> windows(Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate last = today.plusDays(days() - 1L);
        List<Range> out = new ArrayList<>();
        LocalDate from = today;
        while (!from.isAfter(last)) {
            LocalDate yearEnd = LocalDate.of(from.getYear(), 12, 31);
            LocalDate to = last.isBefore(yearEnd) ? last : yearEnd;
            int toKey = key(to);
            if (!to.isLeapYear() && toKey == 228) {
                toKey = 229;
            }
            out.add(new Range(from.getYear(), key(from), toKey));
            from = to.plusDays(1);
        }
        return out;
    }

    public static int key(LocalDate date) {
        return date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    /** Values whose year is before {@code year} and whose month-day key lies in [fromKey, toKey]. */
    public record Range(int year, int fromKey, int toKey) {
        public boolean contains(LocalDate date) {
            int k = key(date);
            return date.getYear() < year && k >= fromKey && k <= toKey;
        }
    }
}
