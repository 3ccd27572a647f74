package dev.segmenta.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.testing.TimeOracle;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-memory evaluator against {@link TimeOracle}, an independent reading of DESIGN.md §3's time rules: for
 * every zone and case, every probe instant (each bound, ±1 ms of it, and further out) as a date field (an
 * {@code Instant} and an ISO string), as the one event of an event rule with that window, and as the time of a
 * first/last performed rule.
 */
class TimeOracleTest {
    private static final long SEED = 20261129L;

    @Test
    void evaluatorAgreesWithTheOracleOnEveryBoundAcrossZones() {
        List<String> failures = new ArrayList<>();
        int checks = 0;
        for (ZoneId zone : TimeOracle.ZONES) {
            for (TimeOracle.Case c : TimeOracle.cases(zone, SEED)) {
                EvaluationContext context = new EvaluationContext(c.nowInstant(), zone, new TestDirectory());
                for (Map.Entry<String, Rule> form : c.forms().entrySet()) {
                    for (long probe : c.probes()) {
                        Instant t = Instant.ofEpochMilli(probe);
                        boolean expected = c.holds(t) != form.getKey().startsWith("not ");
                        boolean actual = Evaluator.evaluate(form.getValue(), user(t), context);
                        checks++;
                        if (actual != expected && failures.size() < 20) {
                            failures.add(form.getKey() + " | " + c + " | t=" + t + ": oracle " + expected
                                    + ", evaluator " + actual);
                        }
                    }
                }
            }
        }
        assertThat(failures).as("disagreements with the time oracle (of %d checks)", checks).isEmpty();
        assertThat(checks).isGreaterThan(20_000);
    }

    @Test
    void oracleStartOfDayHandlesDstAtMidnightAndHalfHourShifts() {
        // Havana springs forward at midnight: 2026-03-08 starts at 01:00 local (05:00Z).
        ZoneId havana = ZoneId.of("America/Havana");
        assertThat(Instant.ofEpochMilli(TimeOracle.startOfDay(havana, TimeOracle.epochDay(2026, 3, 8))))
                .isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        // Lord Howe (+10:30 standard, +11 summer): 2026-04-05 starts at 00:00 +11:00.
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        assertThat(Instant.ofEpochMilli(TimeOracle.startOfDay(lordHowe, TimeOracle.epochDay(2026, 4, 5))))
                .isEqualTo(Instant.parse("2026-04-04T13:00:00Z"));
        assertThat(TimeOracle.dayText(TimeOracle.epochDay(2028, 2, 29))).isEqualTo("2028-02-29");
        assertThat(TimeOracle.dayText(TimeOracle.epochDay(2028, 2, 29) + 1)).isEqualTo("2028-03-01");
    }

    private static UserSnapshot user(Instant t) {
        String iso = DateTimeFormatter.ISO_INSTANT.format(t.atOffset(ZoneOffset.UTC));
        return new UserSnapshot(Map.of("signupDate", t, "d", iso), List.of(EventRecord.of("e", t)), java.util.Set.of(),
                java.util.Set.of(), java.util.Set.of(), java.util.Set.of());
    }
}
