package dev.segmenta.core.columnar;

import static dev.segmenta.core.columnar.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.UserSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** put, replace, remove and compaction: the index answers for the users as they are now. */
class ColumnarIndexLifecycleTest {
    private static final EvaluationContext CONTEXT = Fixtures.context(Map.of());
    private static final Rule PRO = Fixtures.rule("plan = \"pro\"");
    private static final Rule BOUGHT = Fixtures.rule("performed \"purchase\" where item = \"jacket\" within last 7 days");
    private static final Rule VIP = Fixtures.rule("in list \"VIP\"");

    private static UserSnapshot user(String plan, boolean boughtJacket, boolean vip) {
        List<EventRecord> events = boughtJacket
                ? List.of(new EventRecord("purchase", NOW.minus(Duration.ofDays(1)), Map.of("item", "jacket")))
                : List.of(new EventRecord("purchase", NOW.minus(Duration.ofDays(1)), Map.of("item", "boots")));
        return new UserSnapshot(Map.of("plan", plan), events, vip ? Set.of(2L) : Set.of(), Set.of(), Set.of(),
                Set.of());
    }

    private static Set<Long> members(ColumnarIndex index, Rule rule) {
        return LongStream.of(index.userPks(index.evaluate(rule, CONTEXT))).boxed().collect(Collectors.toSet());
    }

    @Test
    void putOfAnExistingUserReplacesProfileEventsAndLists() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(7, user("pro", true, true));
        index.put(8, user("free", false, false));
        assertThat(members(index, PRO)).containsExactly(7L);
        assertThat(members(index, BOUGHT)).containsExactly(7L);
        assertThat(members(index, VIP)).containsExactly(7L);

        index.put(7, user("free", false, false));
        index.put(8, user("pro", true, true));

        assertThat(members(index, PRO)).containsExactly(8L);
        assertThat(members(index, BOUGHT)).containsExactly(8L);
        assertThat(members(index, VIP)).containsExactly(8L);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.stats().events()).isEqualTo(2);
        assertThat(members(index, Fixtures.rule("not performed \"purchase\""))).isEmpty();
    }

    @Test
    void removedUsersMatchNothingNotEvenNegations() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(1, user("pro", true, true));
        index.put(2, user("free", false, false));
        index.remove(1);
        index.remove(99);

        assertThat(members(index, PRO)).isEmpty();
        assertThat(members(index, Fixtures.rule("not plan = \"pro\""))).containsExactly(2L);
        assertThat(members(index, Fixtures.rule("plan != \"free\""))).isEmpty();
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.ordinal(1)).isEmpty();
        assertThat(index.allUsers().getCardinality()).isEqualTo(1);
        assertThat(index.stats().events()).isEqualTo(1);
    }

    @Test
    void aRemovedUserCanComeBack() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(1, user("pro", true, true));
        index.remove(1);
        index.put(1, user("pro", false, false));
        assertThat(members(index, PRO)).containsExactly(1L);
        assertThat(members(index, BOUGHT)).isEmpty();
    }

    @Test
    void ordinalsMapBothWaysAndUnknownOrdinalsAreRefused() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(42, user("pro", false, false));
        int ordinal = index.ordinal(42).orElseThrow();
        assertThat(index.userPk(ordinal)).isEqualTo(42);
        assertThat(index.ordinal(43)).isEmpty();
        assertThatThrownBy(() -> index.userPk(ordinal + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no user has ordinal");
    }

    @Test
    void compactionRenumbersWithoutChangingAnyAnswer() {
        ColumnarIndex index = new ColumnarIndex();
        Map<Long, UserSnapshot> users = new HashMap<>();
        for (long pk = 0; pk < 300; pk++) {
            users.put(pk, user(pk % 3 == 0 ? "pro" : "free", pk % 2 == 0, pk % 5 == 0));
        }
        index.putAll(users);
        for (long pk = 0; pk < 300; pk += 4) {
            index.put(pk, user("pro", true, false));
        }
        for (long pk = 1; pk < 300; pk += 7) {
            index.remove(pk);
        }
        Map<Rule, Set<Long>> before = new HashMap<>();
        for (Rule rule : List.of(PRO, BOUGHT, VIP, Fixtures.rule("not in list \"VIP\""))) {
            before.put(rule, members(index, rule));
            members(index, rule);
        }
        int ordinalsBefore = index.stats().ordinals();

        index.compact();

        assertThat(index.stats().ordinals()).isEqualTo(index.size()).isLessThan(ordinalsBefore);
        before.forEach((rule, expected) -> assertThat(members(index, rule)).as(rule.toString()).isEqualTo(expected));
        assertThat(index.allUsers().last()).isEqualTo(index.size() - 1);
    }

    @Test
    void statsCountUsersEventsAndTheColumnsBuilt() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(1, user("pro", true, true));
        index.put(2, user("pro", true, true));
        members(index, PRO);
        members(index, BOUGHT);
        ColumnarStats stats = index.stats();
        assertThat(stats.users()).isEqualTo(2);
        assertThat(stats.events()).isEqualTo(2);
        assertThat(stats.columnsLoaded()).containsExactly("event:purchase.item", "profile:plan");
        assertThat(stats.approximateBytes()).isPositive();
    }

    @Test
    void columnsBuiltBeforeAWriteSeeTheNewUsers() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(1, user("pro", true, false));
        assertThat(members(index, PRO)).containsExactly(1L);
        assertThat(members(index, BOUGHT)).containsExactly(1L);
        index.put(2, user("pro", true, false));
        assertThat(members(index, PRO)).containsExactly(1L, 2L);
        assertThat(members(index, BOUGHT)).containsExactly(1L, 2L);
    }

    @Test
    void eventRowsSortedByTimeAfterALongTailKeepTheirColumnsAligned() {
        ColumnarIndex index = new ColumnarIndex();
        Map<Long, UserSnapshot> first = new HashMap<>();
        for (long pk = 0; pk < 100; pk++) {
            first.put(pk, buyer(pk));
        }
        index.putAll(first);
        Rule jacketsLastDay = Fixtures.rule("performed \"purchase\" where item = \"jacket\" within last 1 day");
        Rule lastWeek = Fixtures.rule("performed \"purchase\" where item = \"boots\" within last 7 days");
        members(index, jacketsLastDay);
        members(index, lastWeek);
        Map<Long, UserSnapshot> more = new HashMap<>();
        for (long pk = 100; pk < 3000; pk++) {
            more.put(pk, buyer(pk));
        }
        index.putAll(more);

        Set<Long> expectedJackets = new java.util.TreeSet<>();
        Set<Long> expectedBoots = new java.util.TreeSet<>();
        for (long pk = 0; pk < 3000; pk++) {
            if (pk % 2 == 0 && pk % 10 < 1) {
                expectedJackets.add(pk);
            }
            if (pk % 2 == 1 && pk % 10 < 7) {
                expectedBoots.add(pk);
            }
        }
        assertThat(new java.util.TreeSet<>(members(index, jacketsLastDay))).isEqualTo(expectedJackets);
        assertThat(new java.util.TreeSet<>(members(index, lastWeek))).isEqualTo(expectedBoots);
    }

    /** One purchase pk % 10 days (and an hour) ago: a jacket for even pks, boots for odd ones. */
    private static UserSnapshot buyer(long pk) {
        return new UserSnapshot(Map.of("plan", "free"), List.of(new EventRecord("purchase",
                NOW.minus(Duration.ofDays(pk % 10)).minus(Duration.ofHours(pk % 10 == 0 ? 0 : 1)),
                Map.of("item", pk % 2 == 0 ? "jacket" : "boots"))), Set.of(), Set.of(), Set.of(), Set.of());
    }

    @Test
    void theCachedBucketColumnFollowsNewReplacedRemovedAndCompactedUsersAndEachSalt() {
        ColumnarIndex index = new ColumnarIndex();
        Map<Long, String> identities = new HashMap<>();
        for (long pk = 0; pk < 400; pk++) {
            identities.put(pk, "user-" + pk);
            index.put(pk, identified("user-" + pk));
        }
        Rule holdout = Fixtures.rule("random bucket < 30");
        assertThat(members(index, holdout)).isEqualTo(expectedBuckets(identities, "segmenta", 30));

        for (long pk = 0; pk < 400; pk += 3) {
            identities.put(pk, "renamed-" + pk);
            index.put(pk, identified("renamed-" + pk));
        }
        for (long pk = 400; pk < 450; pk++) {
            identities.put(pk, "late-" + pk);
            index.put(pk, identified("late-" + pk));
        }
        for (long pk = 1; pk < 400; pk += 11) {
            identities.remove(pk);
            index.remove(pk);
        }
        assertThat(members(index, holdout)).isEqualTo(expectedBuckets(identities, "segmenta", 30));
        EvaluationContext salted = new EvaluationContext(CONTEXT.now(), CONTEXT.projectZone(), CONTEXT.directory(),
                "another-salt");
        Set<Long> saltedMembers = LongStream.of(index.userPks(index.evaluate(holdout, salted))).boxed()
                .collect(Collectors.toSet());
        assertThat(saltedMembers).isEqualTo(expectedBuckets(identities, "another-salt", 30))
                .isNotEqualTo(members(index, holdout));

        index.compact();
        assertThat(members(index, holdout)).isEqualTo(expectedBuckets(identities, "segmenta", 30));
        assertThat(members(index, Fixtures.rule("random bucket >= 30")))
                .isEqualTo(expectedBuckets(identities, "segmenta", 100)
                        .stream().filter(pk -> !expectedBuckets(identities, "segmenta", 30).contains(pk))
                        .collect(Collectors.toSet()));
    }

    @Test
    void cachedTimelessConditionsFollowNewReplacedRemovedAndCompactedUsers() {
        ColumnarIndex index = new ColumnarIndex();
        Map<Long, String> plans = new HashMap<>();
        for (long pk = 0; pk < 500; pk++) {
            String plan = pk % 3 == 0 ? "pro" : pk % 3 == 1 ? "free" : "";
            plans.put(pk, plan);
            index.put(pk, user(plan, false, false));
        }
        List<Rule> rules = List.of(PRO, Fixtures.rule("plan is set"), Fixtures.rule("plan != \"pro\""),
                Fixtures.rule("plan in [\"PRO\", \"team\"]"));
        for (Rule rule : rules) {
            assertThat(members(index, rule)).as(rule.toString()).isEqualTo(expectedPlans(plans, rule));
        }
        for (long pk = 0; pk < 500; pk += 4) {
            plans.put(pk, "team");
            index.put(pk, user("team", false, false));
        }
        for (long pk = 500; pk < 520; pk++) {
            plans.put(pk, "pro");
            index.put(pk, user("pro", false, false));
        }
        for (long pk = 1; pk < 500; pk += 9) {
            plans.remove(pk);
            index.remove(pk);
        }
        for (Rule rule : rules) {
            assertThat(members(index, rule)).as(rule.toString()).isEqualTo(expectedPlans(plans, rule));
        }
        index.compact();
        for (Rule rule : rules) {
            assertThat(members(index, rule)).as(rule.toString()).isEqualTo(expectedPlans(plans, rule));
        }
    }

    private static Set<Long> expectedPlans(Map<Long, String> plans, Rule rule) {
        return plans.entrySet().stream()
                .filter(e -> dev.segmenta.core.eval.Evaluator.evaluate(rule, user(e.getValue(), false, false), CONTEXT))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static UserSnapshot identified(String userId) {
        return new UserSnapshot(Map.of("userId", userId), List.of(), Set.of(), Set.of(), Set.of(), Set.of());
    }

    private static Set<Long> expectedBuckets(Map<Long, String> identities, String salt, int below) {
        return identities.entrySet().stream()
                .filter(e -> dev.segmenta.core.eval.RandomBuckets.bucket(salt, e.getValue()) < below)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    @Test
    void aSegmentReferenceCycleFailsLoudly() {
        ColumnarIndex index = new ColumnarIndex();
        index.put(1, user("pro", true, false));
        EvaluationContext cyclic = Fixtures.context(Map.of("A", "in segment \"B\"", "B", "in segment \"A\""));
        assertThatThrownBy(() -> index.evaluate(Fixtures.rule("in segment \"A\""), cyclic))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segment reference cycle: A -> B -> A");
    }

    private static UserSnapshot identified(String email, String userId, Map<String, Object> dataFields) {
        Map<String, Object> profile = new HashMap<>(dataFields);
        profile.put("email", email);
        profile.put("userId", userId);
        return new UserSnapshot(profile, List.of(), Set.of(), Set.of(), Set.of(), Set.of());
    }

    @Test
    void profileValueReadsTheCurrentSystemFieldsOfLiveUsersOnly() {
        ColumnarIndex index = new ColumnarIndex(1);
        index.put(1, identified("Ann@Example.com", null, Map.of("plan", "pro", "tags", List.of("a", "b"))));
        index.put(2, identified(null, "u-2", Map.of()));
        index.put(3, identified("cy@example.com", "u-3", Map.of()));

        assertThat(index.profileValue(1, "email")).contains("Ann@Example.com");
        assertThat(index.profileValue(1, "userId")).isEmpty();
        assertThat(index.profileValue(1, "tags")).contains(List.of("a", "b"));
        assertThat(index.profileValue(2, "email")).isEmpty();
        assertThat(index.profileValue(2, "userId")).contains("u-2");
        assertThat(index.profileValue(2, "never-seen-key")).isEmpty();
        assertThat(index.profileValue(99, "email")).isEmpty();

        index.put(1, identified("ann@new.example", "u-1", Map.of()));
        index.remove(2);
        assertThat(index.profileValue(1, "email")).contains("ann@new.example");
        assertThat(index.profileValue(1, "userId")).contains("u-1");
        assertThat(index.profileValue(2, "userId")).isEmpty();

        index.compact();
        assertThat(index.profileValue(1, "email")).contains("ann@new.example");
        assertThat(index.profileValue(3, "email")).contains("cy@example.com");
        assertThat(index.profileValue(3, "userId")).contains("u-3");
    }
}
