package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scans split over cores ({@link RowScan}) answer exactly what one scan answers: the pieces cover the row slices
 * once each, in order; counts, sums (past the long range too), averages, min/max and first/last with where-filters
 * merge across parts into the in-memory evaluator's answer, and ties between parts keep the earlier row.
 */
class RowScanTest {
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of());
    private static final List<String> RULES = List.of(
            "performed \"buy\"",
            "performed \"buy\" where item = \"hat\" within last 30 days",
            "performed \"buy\" at least 3 times",
            "performed \"buy\" at most 2 times within last 60 days",
            "not performed \"buy\" where item = \"boots\"",
            "performed \"buy\" with sum(amount) >= 100",
            "performed \"buy\" with sum(amount) <= 0",
            "performed \"buy\" with sum(amount) > 9223372036854775807",
            "performed \"buy\" with avg(amount) > 20.5",
            "performed \"buy\" where item = \"hat\" with min(amount) < 10",
            "performed \"buy\" within last 90 days with max(amount) >= 50",
            "first performed \"buy\" where item = \"hat\" within last 45 days",
            "last performed \"buy\" where item = \"boots\" within last 10 days",
            "first performed \"buy\" within last 20 days",
            "last performed \"buy\" more than 30 days ago");

    @Test
    void split_coversEverySliceOnceInOrder_inBalancedPieces() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int pairs = 1 + random.nextInt(3);
            int[] slices = new int[pairs * 2];
            int at = random.nextInt(5);
            for (int p = 0; p < pairs; p++) {
                slices[2 * p] = at;
                at += random.nextInt(50);
                slices[2 * p + 1] = at;
                at += random.nextInt(5);
            }
            int parts = 1 + random.nextInt(5);
            List<int[]> pieces = RowScan.split(slices, parts);
            List<Integer> expected = rowsOf(List.of(slices));
            assertThat(rowsOf(pieces)).isEqualTo(expected);
            assertThat(pieces.size()).isLessThanOrEqualTo(parts);
            long share = (expected.size() + parts - 1) / parts;
            for (int[] piece : pieces) {
                assertThat(RowScan.rows(piece)).isBetween(1L, share);
            }
        }
    }

    private static List<Integer> rowsOf(List<int[]> pieces) {
        List<Integer> rows = new ArrayList<>();
        for (int[] piece : pieces) {
            for (int s = 0; s < piece.length; s += 2) {
                for (int r = piece[s]; r < piece[s + 1]; r++) {
                    rows.add(r);
                }
            }
        }
        return rows;
    }

    @Test
    void scansInParts_agreeWithTheEvaluator() throws Exception {
        Map<Long, UserSnapshot> users = new LinkedHashMap<>();
        ColumnarIndex index = new ColumnarIndex();
        Random random = new Random(11);
        String[] items = {"hat", "boots", "scarf"};
        for (long pk = 1; pk <= 300; pk++) {
            List<EventRecord> events = new ArrayList<>();
            int n = random.nextInt(6);
            for (int i = 0; i < n; i++) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("item", items[random.nextInt(items.length)]);
                int kind = random.nextInt(10);
                if (kind == 0) {
                    data.put("amount", new BigDecimal("9223372036854775000")); // sums past the long range
                } else if (kind == 1) {
                    data.put("amount", new BigDecimal(random.nextInt(10_000)).movePointLeft(2));
                } else if (kind < 9) {
                    data.put("amount", random.nextInt(80));
                }
                // Whole days apart from now, so that users tie on times across the parts of a scan.
                Instant at = NOW.minus(Duration.ofDays(random.nextInt(120)));
                events.add(new EventRecord("buy", at, data));
            }
            Fixtures.putEventsOnly(users, index, pk, events);
        }
        for (String text : RULES) {
            Rule rule = Fixtures.rule(text);
            Set<Long> expected = Fixtures.evaluatorMembers(rule, users, CONTEXT);
            assertThat(expected).as("%s splits the users", text).isNotEmpty().hasSizeLessThan(users.size());
            assertThat(Fixtures.indexMembers(index, rule, CONTEXT)).as("%s in one scan", text).isEqualTo(expected);
            for (int parts = 2; parts <= 5; parts++) {
                try (AutoCloseable split = RowScan.splitting(1, parts)) {
                    assertThat(Fixtures.indexMembers(index, rule, CONTEXT)).as("%s in %d parts", text, parts).isEqualTo(expected);
                }
            }
        }
    }
}
