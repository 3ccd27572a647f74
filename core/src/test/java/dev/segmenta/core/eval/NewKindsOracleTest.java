package dev.segmenta.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.testing.TimeOracle;
import dev.segmenta.core.text.RuleParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Anniversaries and sequences against {@link TimeOracle}'s independent readings: calendar arithmetic by day
 * numbers for anniversaries (every zone, leap and common years, year ends, DST days, ±1 ms around local
 * midnights), and every chain enumerated for sequences (ties, ±1 ms on gaps and on "the time has run out"); the
 * evaluator and the columnar engine must both agree.
 */
class NewKindsOracleTest {
    private static final long DAY = TimeOracle.DAY;

    @Test
    void anniversariesAgreeWithTheCalendarOracle() {
        List<String> failures = new ArrayList<>();
        int checks = 0;
        long[][] nowDays = {{2026, 2, 28}, {2026, 3, 1}, {2028, 2, 28}, {2028, 2, 29}, {2027, 2, 27}, {2026, 12, 30},
            {2026, 12, 31}, {2026, 3, 8}, {2026, 11, 1}, {2026, 10, 25}, {2026, 4, 5}};
        long[][] valueDays = {{1988, 2, 29}, {1990, 2, 28}, {1990, 3, 1}, {1990, 3, 2}, {1990, 12, 31}, {1991, 1, 1},
            {1991, 1, 2}, {2024, 2, 29}, {2026, 3, 1}, {2025, 3, 8}, {2000, 11, 1}, {1999, 10, 25}, {2030, 3, 1},
            {2019, 4, 5}, {2020, 3, 9}};
        int[] dayCounts = {1, 2, 3, 7, 30, 365};
        for (ZoneId zone : TimeOracle.ZONES) {
            for (long[] n : nowDays) {
                long start = TimeOracle.startOfDay(zone, TimeOracle.epochDay(n[0], (int) n[1], (int) n[2]));
                for (long now : new long[] {start, start + DAY / 2, start + DAY - 1 - 3 * 3_600_000L}) {
                    for (int days : dayCounts) {
                        String condition = days == 1 && now == start ? "anniversary today"
                                : "anniversary within next " + days + " day" + (days == 1 ? "" : "s");
                        Rule rule = RuleParser.parse("signupDate " + condition + " or d " + condition).rule();
                        EvaluationContext context = new EvaluationContext(Instant.ofEpochMilli(now), zone,
                                new TestDirectory());
                        for (long[] v : valueDays) {
                            long midnight = TimeOracle.startOfDay(zone, TimeOracle.epochDay(v[0], (int) v[1], (int) v[2]));
                            for (long value : new long[] {midnight - 1, midnight, midnight + 1, midnight + DAY / 2}) {
                                boolean expected = TimeOracle.anniversary(zone, now, days, value);
                                Instant t = Instant.ofEpochMilli(value);
                                UserSnapshot user = UserSnapshot.ofProfile(Map.of("userId", "u", "signupDate", t,
                                        "d", t.toString()));
                                boolean actual = Evaluator.evaluate(rule, user, context);
                                checks++;
                                if (actual != expected && failures.size() < 20) {
                                    failures.add(condition + " | zone " + zone + " | now " + Instant.ofEpochMilli(now)
                                            + " | value " + t + ": oracle " + expected + ", evaluator " + actual);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(failures).as("disagreements (of %d checks)", checks).isEmpty();
        assertThat(checks).isGreaterThan(10_000);
    }

    @Test
    void sequencesAgreeWithEveryChainEnumerated() {
        Random random = new Random(20261129L);
        long now = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
        long[] gapChoices = {-1, 60_000L, 3_600_000L, DAY};
        String[] gapWords = {null, "1 minute", "1 hour", "1 day"};
        List<String> failures = new ArrayList<>();
        int checks = 0;
        for (int round = 0; round < 400; round++) {
            int steps = 2 + random.nextInt(2);
            String[] names = new String[steps];
            long[] gaps = new long[steps];
            boolean negatedLast = random.nextBoolean();
            StringBuilder text = new StringBuilder();
            int windowDays = random.nextBoolean() ? -1 : 1 + random.nextInt(3);
            for (int i = 0; i < steps; i++) {
                names[i] = "abc".substring(random.nextInt(3)).substring(0, 1);
                int g = i == 0 ? 0 : random.nextInt(gapChoices.length);
                gaps[i] = i == 0 ? -1 : gapChoices[g];
                if (i == 0) {
                    text.append("performed \"").append(names[0]).append('"');
                    if (windowDays > 0) {
                        text.append(" within last ").append(windowDays).append(" days");
                    }
                } else {
                    text.append(negatedLast && i == steps - 1 ? " then not \"" : " then \"").append(names[i]).append('"');
                    if (gapWords[g] != null) {
                        text.append(" within ").append(gapWords[g]);
                    }
                }
            }
            Rule rule = RuleParser.parse(text.toString()).rule();
            long from = windowDays > 0 ? now - windowDays * DAY + 1 : Long.MIN_VALUE;
            long to = windowDays > 0 ? now : Long.MAX_VALUE;
            ColumnarIndex index = new ColumnarIndex();
            List<UserSnapshot> users = new ArrayList<>();
            List<List<TimeOracle.Occurrence>> occurrences = new ArrayList<>();
            for (int u = 0; u < 30; u++) {
                List<TimeOracle.Occurrence> events = new ArrayList<>();
                List<EventRecord> records = new ArrayList<>();
                int count = random.nextInt(6);
                long base = now - random.nextInt(4) * DAY - random.nextInt(3) * 3_600_000L;
                for (int k = 0; k < count; k++) {
                    long t = base + new long[] {0, 1, -1, 60_000L, 60_001L, 3_600_000L, DAY, DAY + 1, DAY - 1,
                        2 * DAY, -DAY}[random.nextInt(11)];
                    String name = "abc".substring(random.nextInt(3)).substring(0, 1);
                    events.add(new TimeOracle.Occurrence(name, t));
                    records.add(EventRecord.of(name, Instant.ofEpochMilli(t)));
                }
                UserSnapshot user = UserSnapshot.ofProfile(Map.of("userId", "u" + u)).withEvents(records);
                users.add(user);
                occurrences.add(events);
                index.put(u, user);
            }
            EvaluationContext context = new EvaluationContext(Instant.ofEpochMilli(now), ZoneId.of("UTC"),
                    new TestDirectory());
            RoaringBitmap columnar = index.evaluate(rule, context);
            for (int u = 0; u < users.size(); u++) {
                boolean expected = TimeOracle.sequence(names, gaps, negatedLast, from, to, occurrences.get(u), now);
                boolean evaluator = Evaluator.evaluate(rule, users.get(u), context);
                boolean col = columnar.contains(index.ordinal(u).getAsInt());
                checks++;
                if ((evaluator != expected || col != expected) && failures.size() < 20) {
                    failures.add(text + " | " + occurrences.get(u) + ": oracle " + expected + ", evaluator " + evaluator
                            + ", columnar " + col);
                }
            }
        }
        assertThat(failures).as("disagreements (of %d checks)", checks).isEmpty();
    }
}
