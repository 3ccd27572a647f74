package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code performed E [where F]} with no window, count or aggregate reads the users kept for its filter
 * (MatchedUsers), extended with the rows appended since. It must stay exact while rows are appended after the first
 * use, while the table is re-sorted (covered rows mixed with new ones), while users are replaced (their old
 * ordinals tombstoned) and while the filter's field gains values it has not decided yet; filters that read the
 * clock and windowed rules are evaluated from the rows as before and must agree too.
 */
class MatchedUsersTest {
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of());
    private static final List<String> RULES = List.of(
            "performed \"buy\" where item = \"hat\"",
            "performed \"buy\"",
            "not performed \"buy\"",
            "performed \"buy\" at least 0 times",
            "not performed \"buy\" where item = \"boots\"",
            "performed \"buy\" where item in [\"scarf\", \"gloves\"]",
            "performed \"buy\" where (item = \"hat\" and size = \"M\")",
            "performed \"buy\" where size is not set",
            "performed \"buy\" where item = \"hat\" at least 1 times",
            "performed \"buy\" where item = \"hat\" at least 2 times",
            "performed \"buy\" where item = \"hat\" within last 10 days",
            "performed \"buy\" where at after 2026-02-01",
            "state = \"CA\" and performed \"buy\" where item = \"jacket\" and not performed \"buy\" where item = \"boots\"");
    private static final String[] ITEMS = {"hat", "boots", "scarf", "jacket"};

    private final Map<Long, UserSnapshot> users = new LinkedHashMap<>();
    private final ColumnarIndex index = new ColumnarIndex();
    private final Random random = new Random(17);

    /** A user with a few purchases; from {@code round} 3 on, items the filters have never seen before appear. */
    private void put(long pk, int round) {
        List<EventRecord> events = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("item", round >= 3 && random.nextInt(4) == 0 ? "gloves" + random.nextInt(3) : ITEMS[random.nextInt(ITEMS.length)]);
            if (random.nextBoolean()) {
                data.put("size", random.nextBoolean() ? "M" : "L");
            }
            data.put("at", NOW.minus(Duration.ofDays(random.nextInt(60))).toString());
            if (round >= 4 && random.nextInt(5) == 0) {
                data.put("item", "gloves");
            }
            events.add(new EventRecord("buy", NOW.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 40))), data));
        }
        Map<String, Object> profile = Map.of("state", random.nextBoolean() ? "CA" : "NY");
        UserSnapshot user = new UserSnapshot(profile, events, java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), java.util.Set.of());
        users.put(pk, user);
        index.put(pk, user);
    }

    private void assertAgrees(String when) {
        for (String text : RULES) {
            Rule rule = Fixtures.rule(text);
            assertThat(Fixtures.indexMembers(index, rule, CONTEXT)).as("%s, %s", text, when)
                    .isEqualTo(Fixtures.evaluatorMembers(rule, users, CONTEXT));
        }
    }

    @Test
    void matchedUsers_stayExact_throughAppendsResortsAndReplacements() {
        for (long pk = 1; pk <= 400; pk++) {
            put(pk, 0);
        }
        assertAgrees("first use");
        for (int round = 1; round <= 6; round++) {
            // A few rows (not re-sorted), then many (re-sorted: over an eighth of the table), new and replaced users.
            int changes = round % 2 == 1 ? 5 : 250;
            for (int i = 0; i < changes; i++) {
                put(400 + round * 1000L + i, round);
                put(1 + random.nextInt(400), round);
            }
            assertAgrees("round " + round + " (" + changes + " new and replaced users)");
        }
    }
}
