package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule kind of DESIGN.md §3 on four hand-made users, with the expected members worked out by hand (and
 * checked against the in-memory evaluator too). Users: 1 ana, 2 bo, 3 cy, 4 dee; now is 2026-03-01T12:00Z, UTC.
 */
class ColumnarRuleKindsTest {
    private static final Map<Long, UserSnapshot> USERS = users();
    private static final ColumnarIndex INDEX = index();
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of(
            "Buyers", "performed \"purchase\"",
            "Young buyers", "in segment \"Buyers\" and age < 18"));

    private static Map<Long, UserSnapshot> users() {
        Map<Long, UserSnapshot> users = new LinkedHashMap<>();
        Map<String, Object> ana = new HashMap<>();
        ana.put("email", "Ana@Example.com");
        ana.put("plan", "Pro");
        ana.put("age", 34);
        ana.put("score", 0.1d);
        ana.put("tags", List.of("vip", "beta"));
        ana.put("address", Map.of("city", "Lisbon"));
        ana.put("items", List.of(Map.of("name", "jacket", "price", 120), Map.of("name", "boots", "price", 80)));
        ana.put("signupDate", Instant.parse("2026-02-20T10:00:00Z"));
        ana.put("newsletter", true);
        users.put(1L, new UserSnapshot(ana, List.of(
                new EventRecord("purchase", Instant.parse("2026-02-27T10:00:00Z"), Map.of("item", "jacket", "amount", 120)),
                new EventRecord("purchase", Instant.parse("2026-01-01T00:00:00Z"), Map.of("item", "boots", "amount", 80)),
                EventRecord.of("login", NOW.minus(Duration.ofDays(1)))),
                Set.of(1L), Set.of(), Set.of(), Set.of(100L)));

        Map<String, Object> bo = new HashMap<>();
        bo.put("email", "bo@example.org");
        bo.put("plan", "team");
        bo.put("age", 17L);
        bo.put("score", new BigDecimal("0.10"));
        bo.put("tags", List.of());
        bo.put("address", Map.of("city", "porto"));
        bo.put("signupDate", Instant.parse("2025-06-01T00:00:00Z"));
        bo.put("newsletter", false);
        users.put(2L, new UserSnapshot(bo, List.of(
                new EventRecord("purchase", Instant.parse("2026-02-28T00:00:00Z"),
                        Map.of("item", "boots", "amount", new BigDecimal("10.5"))),
                new EventRecord("purchase", Instant.parse("2026-02-28T12:00:00Z"), Map.of("amount", 5)),
                EventRecord.of("login", NOW.minus(Duration.ofDays(30)))),
                Set.of(), Set.of(10L), Set.of(), Set.of()));

        Map<String, Object> cy = new HashMap<>();
        cy.put("email", "cy@TEST.org");
        cy.put("plan", null);
        cy.put("tags", List.of("x"));
        cy.put("signupDate", Instant.parse("2026-02-28T23:59:59.999999Z"));
        users.put(3L, new UserSnapshot(cy, List.of(), Set.of(2L), Set.of(), Set.of(101L), Set.of()));

        Map<String, Object> dee = new HashMap<>();
        dee.put("userId", "dee");
        dee.put("plan", "");
        dee.put("age", new BigDecimal("100000000000000000000"));
        dee.put("score", 9007199254740993L);
        dee.put("tags", Arrays.asList((Object) null));
        users.put(4L, new UserSnapshot(dee, List.of(
                EventRecord.of("login", NOW.minus(Duration.ofDays(30)).plusNanos(1000))),
                Set.of(), Set.of(), Set.of(), Set.of()));
        return users;
    }

    private static ColumnarIndex index() {
        ColumnarIndex index = new ColumnarIndex();
        index.putAll(USERS);
        return index;
    }

    @ParameterizedTest(name = "{0} -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "plan = \"pro\"                                                | 1",
        "plan != \"pro\"                                               | 2 3 4",
        "plan is set                                                  | 1 2",
        "plan is not set                                              | 3 4",
        "plan in [\"PRO\", \"team\"]                                   | 1 2",
        "plan not in [\"pro\"]                                         | 2 3 4",
        "plan starts with \"T\"                                        | 2",
        "email ends with \"@EXAMPLE.com\"                              | 1",
        "email contains \"test\"                                       | 3",
        "email is set                                                 | 1 2 3",
        "userId = \"DEE\"                                              | 4",
        "tags contains \"VIP\"                                         | 1",
        "tags not contains \"vip\"                                     | 2 3 4",
        "tags contains all [\"vip\", \"beta\"]                         | 1",
        "tags contains any [\"x\", \"beta\"]                           | 1 3",
        "tags is set                                                  | 1 3 4",
        "age >= 18                                                    | 1 4",
        "age < 18                                                     | 2",
        "age between 17 and 34                                        | 1 2",
        "age > 99999999999999999999                                   | 4",
        "score = 0.1                                                  | 1 2",
        "score > 9007199254740992                                     | 4",
        "newsletter is true                                           | 1",
        "newsletter is false                                          | 2",
        "address.city = \"LISBON\"                                     | 1",
        "items.name = \"boots\"                                        | 1",
        "items.price > 100                                            | 1",
        "signupDate within last 30 days                               | 1 3",
        "signupDate on 2026-02-28                                     | 3",
        "signupDate after 2026-02-28                                  | ''",
        "signupDate before 2026-01-01                                 | 2",
        "signupDate more than 300 days ago                            | ''",
        "signupDate between 2026-02-20 and 2026-02-28                 | 1 3",
        "signupDate within next 1 day                                 | ''",
        "performed \"purchase\"                                        | 1 2",
        "not performed \"purchase\"                                    | 3 4",
        "performed \"Purchase\"                                        | ''",
        "performed \"purchase\" at least 2 times                       | 1 2",
        "performed \"purchase\" exactly 1 time within last 30 days     | 1",
        "performed \"purchase\" at most 1 time                         | 3 4",
        "performed \"purchase\" where item = \"JACKET\"                | 1",
        "performed \"purchase\" where (item = \"boots\" and amount > 10) | 1 2",
        "performed \"purchase\" where item is not set                  | 2",
        "performed \"purchase\" with sum(amount) > 100                 | 1",
        "performed \"purchase\" with sum(amount) = 15.5                | 2",
        "performed \"purchase\" with avg(amount) = 100                 | 1",
        "performed \"purchase\" with min(amount) < 10                  | 2",
        "performed \"purchase\" with max(amount) >= 120                | 1",
        "performed \"purchase\" at most 0 times with sum(amount) = 0   | 3 4",
        "performed \"purchase\" at most 0 times with max(amount) < 1   | ''",
        "performed \"purchase\" between 2026-02-28 and 2026-02-28      | 2",
        "performed \"purchase\" after 2026-02-27T10:00:00Z             | 2",
        "performed \"purchase\" before 2026-02-27T10:00:00Z            | 1",
        "performed \"login\" within last 30 days                       | 1 4",
        "not performed \"login\" within last 30 days                   | 2 3",
        "last performed \"purchase\" within last 7 days                | 1 2",
        "first performed \"purchase\" before 2026-02-01                | 1",
        "first performed \"purchase\" where item = \"boots\" after 2026-02-27 | 2",
        "last performed \"login\" more than 29 days ago                | 2 4",
        "in list \"Beta testers\"                                      | 1",
        "not in list \"VIP\"                                           | 1 2 4",
        "in list \"Nope\"                                              | ''",
        "subscribed to channel \"Email\"                               | 1 3 4",
        "unsubscribed from channel \"Email\"                           | 2",
        "subscribed to message type \"Newsletter\"                     | 1",
        "subscribed to message type \"Promotions\"                     | 1 4",
        "unsubscribed from message type \"Promotions\"                 | 2 3",
        "subscribed to channel \"Nope\"                                | ''",
        "unsubscribed from message type \"Nope\"                       | 1 2 3 4",
        "in segment \"Buyers\"                                         | 1 2",
        "in segment \"Young buyers\"                                   | 2",
        "not in segment \"Buyers\"                                     | 3 4",
        "in segment \"Nope\"                                           | ''",
        "(plan = \"pro\" or age < 18) and not in list \"VIP\"           | 1 2",
        "not (plan is set or tags is set)                             | ''",
    })
    void everyRuleKindSelectsTheUsersWorkedOutByHand(String text, String expected) {
        Rule rule = Fixtures.rule(text);
        Set<Long> want = expected.isBlank() ? Set.of()
                : Arrays.stream(expected.trim().split("\\s+")).map(Long::valueOf).collect(Collectors.toSet());
        Set<Long> reference = new TreeSet<>();
        USERS.forEach((pk, user) -> {
            if (Evaluator.evaluate(rule, user, CONTEXT)) {
                reference.add(pk);
            }
        });
        Set<Long> columnar = LongStream.of(INDEX.userPks(INDEX.evaluate(rule, CONTEXT))).boxed()
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(reference).as("the evaluator on %s", text).isEqualTo(want);
        assertThat(columnar).as("the columnar index on %s", text).isEqualTo(want);
    }
}
