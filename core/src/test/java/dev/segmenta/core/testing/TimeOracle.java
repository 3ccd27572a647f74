package dev.segmenta.core.testing;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.text.RuleParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * DESIGN.md §3's time rules written again from the text, with plain epoch-millisecond arithmetic, so that both
 * evaluators can be checked against something that does not share their code: no {@code DateCondition},
 * {@code Window}, {@code TimeInterval}, {@code TimeLiteral}, {@code Span}, no {@code LocalDate.atStartOfDay}.
 * The only borrowed piece is the time-zone database (the UTC offset in force at an instant).
 *
 * <ul>
 *   <li>{@code within last N u}: {@code now − N·u < t ≤ now}; {@code more than N u ago}: {@code t < now − N·u};
 *       {@code within next N u}: {@code now ≤ t < now + N·u}; a minute is 60 000 ms, an hour 60 minutes, a day
 *       24 hours (also across a DST change), a week 7 days, a month 30 days.
 *   <li>A date-only literal {@code D} is the whole day in the project zone: {@code start(D)} is the first instant
 *       whose local date is {@code D} (or a later date, when {@code D} is skipped). {@code before D}:
 *       {@code t < start(D)}; {@code after D}: {@code t ≥ start(D+1)}; {@code on D}:
 *       {@code start(D) ≤ t < start(D+1)}; {@code between D1 and D2}: {@code start(D1) ≤ t < start(D2+1)}.
 *   <li>Date-time literals: {@code before} {@code <}, {@code after} {@code >}, {@code between} inclusive.
 * </ul>
 *
 * A {@link Case} is one condition as rule text, its oracle, and the probe instants around its bounds (each bound
 * and ±1 ms of it, plus a few further away).
 */
public final class TimeOracle {
    public static final long MINUTE = 60_000L;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;

    /** Zones with DST in either hemisphere, half-hour DST (Lord Howe), odd offsets, and DST at midnight. */
    public static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("America/Los_Angeles"),
            ZoneId.of("Europe/Berlin"), ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Asia/Kolkata"),
            ZoneId.of("America/St_Johns"), ZoneId.of("Pacific/Chatham"), ZoneId.of("America/Havana"));

    private TimeOracle() {}

    /**
     * One time condition: {@code text} as it follows a date field ({@code within last 3 days}), whether it may
     * also be an event window, the evaluation instant and zone, the oracle, and the instants worth probing.
     */
    public record Case(String text, boolean window, ZoneId zone, long now, LongPredicate holds, List<Long> probes) {
        public boolean holds(Instant t) {
            return holds.test(t.toEpochMilli());
        }

        public Instant nowInstant() {
            return Instant.ofEpochMilli(now);
        }

        /**
         * The condition in every place a time condition can stand, for a user whose {@code signupDate}, date
         * string field {@code d} and one event {@code "e"} are all at the probe instant. A form named
         * {@code not ...} holds exactly when the oracle does not.
         */
        public Map<String, Rule> forms() {
            Map<String, Rule> forms = new LinkedHashMap<>();
            forms.put("field", parse("signupDate " + text));
            forms.put("string field", parse("d " + text));
            forms.put("first performed", parse("first performed \"e\" " + text));
            forms.put("last performed", parse("last performed \"e\" " + text));
            if (window) {
                forms.put("event window", parse("performed \"e\" " + text));
                forms.put("not performed", parse("not performed \"e\" at least 1 time " + text));
            }
            return forms;
        }

        private static Rule parse(String rule) {
            return RuleParser.parse(rule).rule();
        }

        @Override
        public String toString() {
            return text + " [zone " + zone + ", now " + Instant.ofEpochMilli(now) + "]";
        }
    }

    // ---- calendar arithmetic (Howard Hinnant's days_from_civil / civil_from_days) ----

    /** Days since 1970-01-01 of a proleptic Gregorian date. */
    public static long epochDay(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** {@code {year, month, day}} of a day number. */
    public static long[] civil(long epochDay) {
        long z = epochDay + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp + (mp < 10 ? 3 : -9);
        return new long[] {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
    }

    public static String dayText(long epochDay) {
        long[] c = civil(epochDay);
        return String.format("%04d-%02d-%02d", c[0], c[1], c[2]);
    }

    private static long offsetMillis(ZoneRules rules, long t) {
        return rules.getOffset(Instant.ofEpochMilli(t)).getTotalSeconds() * 1000L;
    }

    /** The local date (as a day number) at instant {@code t}. */
    public static long localDay(ZoneId zone, long t) {
        return Math.floorDiv(t + offsetMillis(zone.getRules(), t), DAY);
    }

    /**
     * The first instant whose local date is {@code day} or later: scanned minute by minute over the 40 hours in
     * which it can lie (offsets are within ±14 h), then to the millisecond inside the minute where it flips.
     */
    public static long startOfDay(ZoneId zone, long day) {
        long localMidnight = day * DAY;
        long t = localMidnight - 20 * HOUR;
        while (localDay(zone, t) < day) {
            t += MINUTE;
        }
        long lo = t - MINUTE; // local day < day here
        long hi = t;          // local day >= day here
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (localDay(zone, mid) >= day) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    // ---- cases ----

    private enum Unit {
        MINUTE("minute", TimeOracle.MINUTE), HOUR("hour", TimeOracle.HOUR), DAY("day", TimeOracle.DAY),
        WEEK("week", 7 * TimeOracle.DAY), MONTH("month", 30 * TimeOracle.DAY);

        final String word;
        final long millis;

        Unit(String word, long millis) {
            this.word = word;
            this.millis = millis;
        }
    }

    /**
     * The cases for one zone: relative windows at evaluation instants next to DST changes, month ends and a leap
     * day; date-only literals on DST-change days (and the days around them), month ends and leap days; date-time
     * literals with offsets and fractions.
     */
    public static List<Case> cases(ZoneId zone, long seed) {
        Random random = new Random(seed ^ zone.getId().hashCode());
        List<Case> out = new ArrayList<>();
        TreeSet<Long> days = interestingDays(zone);
        List<Long> nows = new ArrayList<>();
        for (long day : List.of(days.first(), days.last(), epochDay(2028, 2, 29), epochDay(2026, 3, 31))) {
            long start = startOfDay(zone, day);
            nows.add(start + random.nextInt((int) DAY) + random.nextInt(1000));
        }
        nows.add(startOfDay(zone, epochDay(2026, 3, 1)));                // now exactly at a day start
        nows.add(transitionsNear(zone).isEmpty() ? epochDay(2026, 10, 25) * DAY + HOUR
                : transitionsNear(zone).get(0));                          // now exactly at a DST change
        long[] amounts = {0, 1, 2, 7, 13, 30, 400};
        for (long now : nows) {
            for (Unit unit : Unit.values()) {
                long amount = amounts[random.nextInt(amounts.length)];
                String n = amount + " " + unit.word + (amount == 1 ? "" : "s");
                long back = now - amount * unit.millis;
                long ahead = now + amount * unit.millis;
                out.add(new Case("within last " + n, true, zone, now, t -> back < t && t <= now,
                        probes(random, back, now)));
                out.add(new Case("more than " + n + " ago", false, zone, now, t -> t < back,
                        probes(random, back, now)));
                out.add(new Case("within next " + n, false, zone, now, t -> now <= t && t < ahead,
                        probes(random, now, ahead)));
            }
        }
        long now = nows.get(0);
        for (long day : days) {
            String d = dayText(day);
            long start = startOfDay(zone, day);
            long next = startOfDay(zone, day + 1);
            out.add(new Case("before " + d, true, zone, now, t -> t < start, probes(random, start)));
            out.add(new Case("after " + d, true, zone, now, t -> t >= next, probes(random, next)));
            out.add(new Case("on " + d, false, zone, now, t -> start <= t && t < next, probes(random, start, next)));
            long toDay = day + random.nextInt(3);
            long end = startOfDay(zone, toDay + 1);
            out.add(new Case("between " + d + " and " + dayText(toDay), true, zone, now,
                    t -> start <= t && t < end, probes(random, start, end)));
        }
        for (int i = 0; i < 6; i++) {
            long a = moment(random, days);
            long b = a + random.nextInt(3) * DAY + random.nextInt((int) DAY);
            int offsetMinutes = (random.nextInt(29) - 14) * 60 + (random.nextBoolean() ? 0 : 30);
            String ta = momentText(a, offsetMinutes, random.nextBoolean());
            String tb = momentText(b, random.nextBoolean() ? 0 : offsetMinutes, random.nextBoolean());
            out.add(new Case("before " + ta, true, zone, now, t -> t < a, probes(random, a)));
            out.add(new Case("after " + ta, true, zone, now, t -> t > a, probes(random, a)));
            out.add(new Case("between " + ta + " and " + tb, true, zone, now, t -> a <= t && t <= b,
                    probes(random, a, b)));
        }
        return out;
    }

    /** DST-change days in 2026-2027 and the day on each side; month ends; the leap days of 2024 and 2028. */
    static TreeSet<Long> interestingDays(ZoneId zone) {
        TreeSet<Long> days = new TreeSet<>();
        for (long t : transitionsNear(zone)) {
            long day = localDay(zone, t);
            days.add(day - 1);
            days.add(day);
            days.add(day + 1);
        }
        days.add(epochDay(2024, 2, 29));
        days.add(epochDay(2024, 3, 1));
        days.add(epochDay(2026, 1, 31));
        days.add(epochDay(2026, 2, 28));
        days.add(epochDay(2026, 4, 30));
        days.add(epochDay(2026, 12, 31));
        days.add(epochDay(2028, 2, 29));
        return days;
    }

    /** The instants of the DST changes of 2026 and 2027 in {@code zone}. */
    public static List<Long> transitionsNear(ZoneId zone) {
        List<Long> out = new ArrayList<>();
        Instant from = Instant.ofEpochMilli(epochDay(2026, 1, 1) * DAY);
        Instant until = Instant.ofEpochMilli(epochDay(2028, 1, 1) * DAY);
        ZoneOffsetTransition next = zone.getRules().nextTransition(from);
        while (next != null && next.getInstant().isBefore(until)) {
            out.add(next.getInstant().toEpochMilli());
            next = zone.getRules().nextTransition(next.getInstant());
        }
        return out;
    }

    private static long moment(Random random, TreeSet<Long> days) {
        Long[] all = days.toArray(new Long[0]);
        long day = all[random.nextInt(all.length)];
        return day * DAY + random.nextInt(24) * HOUR + random.nextInt(60) * MINUTE + random.nextInt(60) * 1000L
                + (random.nextBoolean() ? random.nextInt(1000) : 0);
    }

    /** {@code t} written as a date-time literal with the given offset; the offset is added back by hand. */
    static String momentText(long t, int offsetMinutes, boolean zulu) {
        if (zulu) {
            offsetMinutes = 0;
        }
        long local = t + offsetMinutes * MINUTE;
        long day = Math.floorDiv(local, DAY);
        long inDay = local - day * DAY;
        long h = inDay / HOUR;
        long m = inDay % HOUR / MINUTE;
        long s = inDay % MINUTE / 1000;
        long ms = inDay % 1000;
        StringBuilder text = new StringBuilder(dayText(day))
                .append(String.format("T%02d:%02d:%02d", h, m, s));
        if (ms != 0) {
            text.append(String.format(".%03d", ms));
        }
        if (zulu) {
            return text.append('Z').toString();
        }
        int abs = Math.abs(offsetMinutes);
        return text.append(String.format("%s%02d:%02d", offsetMinutes < 0 ? "-" : "+", abs / 60, abs % 60)).toString();
    }

    /** Each bound, ±1 ms of it, and a random instant within a day of it and further out. */
    private static List<Long> probes(Random random, long... bounds) {
        TreeSet<Long> out = new TreeSet<>();
        for (long b : bounds) {
            out.add(b - 1);
            out.add(b);
            out.add(b + 1);
            out.add(b - 1 - random.nextInt((int) DAY));
            out.add(b + 1 + random.nextInt((int) DAY));
            out.add(b - 400 * DAY);
            out.add(b + 400 * DAY);
        }
        if (bounds.length == 2) {
            out.add(bounds[0] + (bounds[1] - bounds[0]) / 2);
        }
        return List.copyOf(out);
    }

    // ---- anniversaries and sequences, again from the text (docs/evaluation-semantics.md) ----

    private static boolean leap(long y) {
        return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    /**
     * {@code anniversary within next N days} ({@code today} is N = 1): the value's local date L and today's in
     * {@code zone}; some day D of the N days from today, in a year after L's, has L's month and day, or is
     * 28 February of a common year for an L on 29 February.
     */
    public static boolean anniversary(ZoneId zone, long now, int days, long value) {
        long[] l = civil(localDay(zone, value));
        long today = localDay(zone, now);
        for (long day = today; day < today + days; day++) {
            long[] d = civil(day);
            boolean same = l[1] == d[1] && l[2] == d[2];
            boolean leapDay = l[1] == 2 && l[2] == 29 && d[1] == 2 && d[2] == 28 && !leap(d[0]);
            if (l[0] < d[0] && (same || leapDay)) {
                return true;
            }
        }
        return false;
    }

    /** One event for {@link #sequence}: a name at an epoch millisecond. */
    public record Occurrence(String name, long t) {}

    /**
     * A sequence by brute force over every chain: {@code names[i]} the step names, {@code gaps[i]} the longest
     * time after the previous step in ms (-1: none; {@code gaps[0]} unused), {@code negatedLast} whether the last
     * step is {@code then not}, positive events within {@code [from, to]} (inclusive ms bounds of the window).
     */
    public static boolean sequence(String[] names, long[] gaps, boolean negatedLast, long from, long to,
            List<Occurrence> events, long now) {
        int positive = negatedLast ? names.length - 1 : names.length;
        return chain(names, gaps, negatedLast, positive, 0, Long.MIN_VALUE, from, to, events, now);
    }

    private static boolean chain(String[] names, long[] gaps, boolean negatedLast, int positive, int step, long previous,
            long from, long to, List<Occurrence> events, long now) {
        if (step == positive) {
            if (!negatedLast) {
                return true;
            }
            long gap = gaps[step];
            if (gap >= 0 && previous + gap > now) {
                return false;
            }
            for (Occurrence e : events) {
                if (e.name().equals(names[step]) && e.t() > previous && (gap < 0 || e.t() <= previous + gap)) {
                    return false;
                }
            }
            return true;
        }
        for (Occurrence e : events) {
            boolean inWindow = e.t() >= from && e.t() <= to;
            boolean after = step == 0 || e.t() > previous && (gaps[step] < 0 || e.t() <= previous + gaps[step]);
            if (e.name().equals(names[step]) && inWindow && after
                    && chain(names, gaps, negatedLast, positive, step + 1, e.t(), from, to, events, now)) {
                return true;
            }
        }
        return false;
    }
}
