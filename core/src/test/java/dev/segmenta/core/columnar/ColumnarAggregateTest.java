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
import org.junit.jupiter.api.Test;

/**
 * Aggregates over decimal amounts as the columnar engine keeps them (longs in units of the column's widest
 * decimals, with the numbers of each distinct value kept between evaluations): the same users as the in-memory
 * evaluator, as values with more decimals, values past the long range and bounds with more decimals than any value
 * arrive after the first evaluation.
 */
class ColumnarAggregateTest {
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of());
    private static final List<String> RULES = List.of(
            "performed \"buy\" with sum(amount) >= 10.5",
            "performed \"buy\" with sum(amount) > 10.505",
            "performed \"buy\" with sum(amount) <= 0",
            "performed \"buy\" with sum(amount) = 3.3",
            "performed \"buy\" with avg(amount) > 2.25",
            "performed \"buy\" with avg(amount) = 1.1",
            "performed \"buy\" with min(amount) < 1.5",
            "performed \"buy\" with max(amount) >= 9007199254740993",
            "performed \"buy\" at least 2 times within last 30 days with sum(amount) != 2.2",
            "performed \"buy\" with sum(price) > 5");

    private final Map<Long, UserSnapshot> users = new LinkedHashMap<>();
    private final ColumnarIndex index = new ColumnarIndex();

    private void put(long pk, Object... amounts) {
        List<EventRecord> events = new ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            Object amount = amounts[i];
            Map<String, Object> data = new LinkedHashMap<>();
            if (amount != null) {
                data.put("amount", amount);
            }
            data.put("price", List.of(new BigDecimal("1.25"), 2)); // an array: each element counts
            events.add(new EventRecord("buy", NOW.minus(Duration.ofDays(1 + i)), data));
        }
        Fixtures.putEventsOnly(users, index, pk, events);
    }

    private void assertAgreesWithTheEvaluator(String when) {
        for (String text : RULES) {
            Rule rule = Fixtures.rule(text);
            assertThat(Fixtures.indexMembers(index, rule, CONTEXT)).as("%s, %s", text, when)
                    .isEqualTo(Fixtures.evaluatorMembers(rule, users, CONTEXT));
        }
    }

    @Test
    void decimalSums_agreeWithTheEvaluator_asWiderAndLargerValuesArrive() {
        put(1, new BigDecimal("1.10"), new BigDecimal("2.20"));
        put(2, new BigDecimal("5.25"), new BigDecimal("5.25"));
        put(3, 3, new BigDecimal("0.3"));
        put(4, (Object) null);
        put(5, new BigDecimal("-1.5"), new BigDecimal("1.5"));
        put(6, 1.1, 1.1);
        assertAgreesWithTheEvaluator("cents only");

        // A value with more decimals widens the column's unit: the kept sums are redone in it.
        put(7, new BigDecimal("10.505"), new BigDecimal("0.0001"));
        put(8, new BigDecimal("2.2"));
        assertAgreesWithTheEvaluator("after a value with four decimals");

        // More decimals than the long form keeps, and values past the long range: BigDecimal for those.
        put(9, new BigDecimal("0.1234567890123"), 10);
        put(10, new BigDecimal("9007199254740993"), new BigDecimal("9223372036854775807"));
        put(11, Long.MAX_VALUE, Long.MAX_VALUE, new BigDecimal("0.01"));
        assertAgreesWithTheEvaluator("after wide and huge values");

        // Replacing a user re-appends its events; the kept numbers grow with the column.
        put(1, new BigDecimal("3.3"));
        put(2, new BigDecimal("1.1"), new BigDecimal("1.1"), new BigDecimal("1.1"));
        assertAgreesWithTheEvaluator("after replacements");
        index.compact();
        assertAgreesWithTheEvaluator("after compaction");
    }
}
