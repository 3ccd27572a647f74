package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Rules over every row without where or window read per-user totals kept between evaluations (UserTotals). They
 * must stay exact while rows are appended after the first use, while the table is re-sorted (appended rows mixed
 * into the sorted prefix), while users are replaced, and when the field gains values with more decimals (the long
 * sums change unit) or past the long range.
 */
class UserTotalsTest {
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of());
    private static final List<String> RULES = List.of(
            "performed \"buy\"",
            "not performed \"buy\"",
            "performed \"buy\" at least 3 times",
            "performed \"buy\" at most 2 times",
            "performed \"buy\" exactly 0 times",
            "performed \"buy\" with sum(amount) >= 100",
            "performed \"buy\" with sum(amount) <= 0",
            "performed \"buy\" with sum(amount) > 9223372036854775807",
            "performed \"buy\" with avg(amount) > 20.5",
            "performed \"buy\" at least 2 times with avg(amount) <= 30.25",
            "performed \"buy\" with min(amount) >= 20.5",
            "performed \"buy\" with min(amount) < 3",
            "performed \"buy\" at least 2 times with max(amount) > 70",
            "performed \"buy\" with max(amount) <= 9223372036854775000");

    private final Map<Long, UserSnapshot> users = new LinkedHashMap<>();
    private final ColumnarIndex index = new ColumnarIndex();
    private final Random random = new Random(5);

    private void put(long pk, int decimals) {
        List<EventRecord> events = new ArrayList<>();
        int n = random.nextInt(7);
        for (int i = 0; i < n; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            int kind = random.nextInt(12);
            if (kind == 0 && decimals > 0) {
                data.put("amount", new BigDecimal("9223372036854775000"));
            } else if (kind < 10) {
                data.put("amount", new BigDecimal(random.nextInt(8_000)).movePointLeft(decimals));
            } else if (kind == 10) {
                data.put("amount", "not a number");
            }
            // Random times, so that appended rows fall anywhere when the table is re-sorted.
            events.add(new EventRecord("buy", NOW.minus(Duration.ofMinutes(random.nextInt(500_000))), data));
        }
        Fixtures.putEventsOnly(users, index, pk, events);
    }

    private void assertAgrees(String when) {
        for (String text : RULES) {
            Rule rule = Fixtures.rule(text);
            assertThat(Fixtures.indexMembers(index, rule, CONTEXT)).as("%s, %s", text, when)
                    .isEqualTo(Fixtures.evaluatorMembers(rule, users, CONTEXT));
        }
    }

    @Test
    void totals_stayExact_throughAppendsResortsReplacementsAndWiderDecimals() {
        for (long pk = 1; pk <= 400; pk++) {
            put(pk, 0);
        }
        assertAgrees("whole amounts, first use");
        for (int round = 1; round <= 6; round++) {
            // New users and replaced ones: well over an eighth of the table each round, so it is re-sorted.
            for (int i = 0; i < 250; i++) {
                put(400 + round * 1000L + i, round >= 3 ? 2 : 0);
                put(1 + random.nextInt(400), round >= 5 ? 4 : 0);
            }
            assertAgrees("round " + round);
        }
    }
}
