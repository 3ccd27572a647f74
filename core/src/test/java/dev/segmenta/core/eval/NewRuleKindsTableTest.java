package dev.segmenta.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.testing.RandomRules;
import dev.segmenta.core.text.RuleParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequences, anniversaries and random buckets against docs/evaluation-semantics.md, one row per edge (±1 ms on
 * every bound, ties, DST, leap days, year ends). Every row is decided by the evaluator, the explainer and the
 * columnar engine, which must all give the expected answer.
 */
class NewRuleKindsTableTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    static final Duration MS = Duration.ofMillis(1);
    static final Duration DAY = Duration.ofDays(1);

    record Case(String name, String rule, UserSnapshot user, Instant now, ZoneId zone, String salt, boolean expected) {
        @Override
        public String toString() {
            return name + ": " + rule;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void c(String name, String rule, UserSnapshot user, boolean expected) {
        CASES.add(new Case(name, rule, user, NOW, UTC, RandomBuckets.DEFAULT_SALT, expected));
    }

    private static void at(String name, Instant now, ZoneId zone, String rule, UserSnapshot user, boolean expected) {
        CASES.add(new Case(name, rule, user, now, zone, RandomBuckets.DEFAULT_SALT, expected));
    }

    private static void salted(String name, String salt, String rule, UserSnapshot user, boolean expected) {
        CASES.add(new Case(name, rule, user, NOW, UTC, salt, expected));
    }

    static EventRecord ev(String name, Instant t, Object... kv) {
        return new EventRecord(name, t, map(kv));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A user "u" with these events. */
    static UserSnapshot events(EventRecord... events) {
        return UserSnapshot.ofProfile(map("userId", "u")).withEvents(List.of(events));
    }

    static UserSnapshot profile(Object... kv) {
        Map<String, Object> m = map(kv);
        if (!m.containsKey("userId") && !m.containsKey("email")) {
            m.put("userId", "u");
        }
        return UserSnapshot.ofProfile(m);
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    static {
        // ---- sequences: order, ties, the gap's inclusive end -------------------------------------------------
        String cartThenBuy = "performed \"cart\" then \"buy\" within 1 day";
        Instant cart = ago(Duration.ofDays(3));
        c("cart then buy", cartThenBuy, events(ev("cart", cart), ev("buy", cart.plus(Duration.ofHours(5)))), true);
        c("buy before cart is not in order", cartThenBuy,
                events(ev("buy", cart), ev("cart", cart.plus(Duration.ofHours(5)))), false);
        c("same instant does not chain", cartThenBuy, events(ev("cart", cart), ev("buy", cart)), false);
        c("1 ms later chains", cartThenBuy, events(ev("cart", cart), ev("buy", cart.plus(MS))), true);
        c("exactly the gap later: inclusive", cartThenBuy, events(ev("cart", cart), ev("buy", cart.plus(DAY))), true);
        c("gap + 1 ms: too late", cartThenBuy, events(ev("cart", cart), ev("buy", cart.plus(DAY).plus(MS))), false);
        c("gap - 1 ms", cartThenBuy, events(ev("cart", cart), ev("buy", cart.plus(DAY).minus(MS))), true);
        c("no first step", cartThenBuy, events(ev("buy", cart)), false);
        c("no second step", cartThenBuy, events(ev("cart", cart)), false);
        c("no events", cartThenBuy, events(), false);
        c("a later occurrence starts the chain", cartThenBuy, events(ev("cart", ago(Duration.ofDays(5))),
                ev("cart", ago(Duration.ofDays(2))), ev("buy", ago(Duration.ofHours(36)))), true);
        c("two days apart", cartThenBuy, events(ev("cart", ago(Duration.ofDays(5))),
                ev("buy", ago(Duration.ofDays(3)))), false);
        c("event names are case-sensitive", cartThenBuy, events(ev("cart", cart), ev("Buy", cart.plusSeconds(1))),
                false);
        c("no time: any later", "performed \"cart\" then \"buy\"",
                events(ev("cart", ago(Duration.ofDays(300))), ev("buy", ago(Duration.ofMinutes(1)))), true);
        c("no time: still strictly later", "performed \"cart\" then \"buy\"",
                events(ev("cart", cart), ev("buy", cart)), false);
        c("future events chain too", "performed \"cart\" then \"buy\"",
                events(ev("cart", NOW.plus(DAY)), ev("buy", NOW.plus(Duration.ofDays(2)))), true);
        c("where on the first step holds", "performed \"cart\" where item = \"x\" then \"buy\" within 1 day",
                events(ev("cart", cart, "item", "X"), ev("buy", cart.plusSeconds(60))), true);
        c("where on the first step fails", "performed \"cart\" where item = \"x\" then \"buy\" within 1 day",
                events(ev("cart", cart, "item", "y"), ev("buy", cart.plusSeconds(60))), false);
        c("where on a later step", "performed \"cart\" then \"buy\" where amount > 10 within 1 day",
                events(ev("cart", cart), ev("buy", cart.plusSeconds(60), "amount", 5),
                        ev("buy", cart.plusSeconds(120), "amount", 50)), true);
        c("where on a later step fails on every event", "performed \"cart\" then \"buy\" where amount > 10",
                events(ev("cart", cart), ev("buy", cart.plusSeconds(60), "amount", 5)), false);
        c("where step before the anchoring one does not count", "performed \"cart\" where item = \"x\" then \"buy\"",
                events(ev("buy", cart.minusSeconds(1)), ev("cart", cart, "item", "x")), false);

        String threeSteps = "performed \"view\" then \"cart\" within 1 hour then \"buy\" within 1 day";
        c("three steps in order", threeSteps, events(ev("view", cart), ev("cart", cart.plus(Duration.ofMinutes(30))),
                ev("buy", cart.plus(Duration.ofHours(5)))), true);
        c("three steps: middle too late", threeSteps, events(ev("view", cart),
                ev("cart", cart.plus(Duration.ofMinutes(61))), ev("buy", cart.plus(Duration.ofHours(5)))), false);
        c("three steps: the latest earlier view anchors the cart", threeSteps, events(ev("view", cart),
                ev("view", cart.plus(Duration.ofHours(10))), ev("cart", cart.plus(Duration.ofMinutes(630))),
                ev("buy", cart.plus(Duration.ofHours(11)))), true);
        c("three steps: last step measured from the middle one", threeSteps, events(ev("view", cart),
                ev("cart", cart.plus(Duration.ofMinutes(59))), ev("buy", cart.plus(Duration.ofMinutes(59)).plus(DAY))),
                true);
        c("three steps: last step gap + 1 ms", threeSteps, events(ev("view", cart),
                ev("cart", cart.plus(Duration.ofMinutes(59))),
                ev("buy", cart.plus(Duration.ofMinutes(59)).plus(DAY).plus(MS))), false);
        c("three steps: missing middle", threeSteps, events(ev("view", cart), ev("buy", cart.plusSeconds(60))), false);

        String twice = "performed \"buy\" then \"buy\" within 1 day";
        c("same name: one event is no sequence", twice, events(ev("buy", cart)), false);
        c("same name: two events", twice, events(ev("buy", cart), ev("buy", cart.plus(Duration.ofHours(1)))), true);
        c("same name: two events at one instant", twice, events(ev("buy", cart), ev("buy", cart)), false);

        // ---- sequences: the window ------------------------------------------------------------------------
        String windowed = "performed \"cart\" within last 7 days then \"buy\" within 1 day";
        c("first step out of the window", windowed, events(ev("cart", ago(Duration.ofDays(8))),
                ev("buy", ago(Duration.ofDays(8)).plusSeconds(60))), false);
        c("in the window", windowed, events(ev("cart", ago(Duration.ofDays(6))),
                ev("buy", ago(Duration.ofDays(6)).plusSeconds(60))), true);
        c("window's exclusive lower bound", windowed, events(ev("cart", ago(Duration.ofDays(7))),
                ev("buy", ago(Duration.ofDays(7)).plusSeconds(60))), false);
        c("window's lower bound + 1 ms", windowed, events(ev("cart", ago(Duration.ofDays(7)).plus(MS)),
                ev("buy", ago(Duration.ofDays(7)).plusSeconds(60))), true);
        c("later positive steps must be in the window too",
                "performed \"cart\" before 2026-02-20 then \"buy\"",
                events(ev("cart", t("2026-02-19T10:00:00Z")), ev("buy", t("2026-02-21T10:00:00Z"))), false);
        c("both before the window's end", "performed \"cart\" before 2026-02-20 then \"buy\"",
                events(ev("cart", t("2026-02-19T10:00:00Z")), ev("buy", t("2026-02-19T23:59:59.999Z"))), true);
        at("window day in the project zone", NOW, LA, "performed \"cart\" before 2026-02-20 then \"buy\"",
                events(ev("cart", t("2026-02-19T10:00:00Z")), ev("buy", t("2026-02-20T07:59:59Z"))), true);

        // ---- then not ---------------------------------------------------------------------------------------
        String abandoned = "performed \"cart\" then not \"buy\" within 1 day";
        c("abandoned: no purchase", abandoned, events(ev("cart", ago(Duration.ofDays(2)))), true);
        c("bought within the day", abandoned, events(ev("cart", ago(Duration.ofDays(2))),
                ev("buy", ago(Duration.ofHours(36)))), false);
        c("bought after the day", abandoned, events(ev("cart", ago(Duration.ofDays(2))),
                ev("buy", ago(Duration.ofHours(12)))), true);
        c("the day has not run out yet", abandoned, events(ev("cart", ago(Duration.ofHours(2)))), false);
        c("the day ran out exactly now", abandoned, events(ev("cart", ago(DAY))), true);
        c("the day runs out in 1 ms", abandoned, events(ev("cart", ago(DAY).plus(MS))), false);
        c("purchase exactly at the end of the day", abandoned, events(ev("cart", ago(Duration.ofDays(2))),
                ev("buy", ago(Duration.ofDays(1)))), false);
        c("purchase 1 ms after the end of the day", abandoned, events(ev("cart", ago(Duration.ofDays(2))),
                ev("buy", ago(Duration.ofDays(1)).plus(MS))), true);
        c("purchase at the cart's instant is not after it", abandoned, events(ev("cart", ago(Duration.ofDays(2))),
                ev("buy", ago(Duration.ofDays(2)))), true);
        c("purchase before the cart only", abandoned, events(ev("buy", ago(Duration.ofDays(3))),
                ev("cart", ago(Duration.ofDays(2)))), true);
        c("one bought cart and one abandoned", abandoned, events(ev("cart", ago(Duration.ofDays(3))),
                ev("buy", ago(Duration.ofHours(70))), ev("cart", ago(Duration.ofDays(2)))), true);
        c("one bought cart and one still pending", abandoned, events(ev("cart", ago(Duration.ofDays(3))),
                ev("buy", ago(Duration.ofHours(70))), ev("cart", ago(Duration.ofHours(2)))), false);
        c("no cart at all", abandoned, events(ev("buy", ago(DAY))), false);
        c("then not with where: a small purchase does not count",
                "performed \"cart\" then not \"buy\" where amount > 10 within 1 day",
                events(ev("cart", ago(Duration.ofDays(2))), ev("buy", ago(Duration.ofHours(40)), "amount", 5)), true);
        c("then not with where: a large purchase does",
                "performed \"cart\" then not \"buy\" where amount > 10 within 1 day",
                events(ev("cart", ago(Duration.ofDays(2))), ev("buy", ago(Duration.ofHours(40)), "amount", 20)),
                false);
        String never = "performed \"cart\" then not \"buy\"";
        c("then not without time: bought later", never, events(ev("cart", ago(Duration.ofDays(20))),
                ev("buy", ago(Duration.ofDays(1)))), false);
        c("then not without time: bought only before", never, events(ev("buy", ago(Duration.ofDays(3))),
                ev("cart", ago(Duration.ofDays(2)))), true);
        c("then not without time: no wait", never, events(ev("cart", ago(Duration.ofMinutes(1)))), true);
        c("then not without time: the latest cart counts", never, events(ev("cart", ago(Duration.ofDays(3))),
                ev("buy", ago(Duration.ofDays(2))), ev("cart", ago(Duration.ofDays(1)))), true);
        c("then-not events ignore the window", "performed \"cart\" before 2026-02-27 then not \"buy\" within 2 days",
                events(ev("cart", t("2026-02-26T12:00:00Z")), ev("buy", t("2026-02-27T12:00:00Z"))), false);
        c("then-not after a window", "performed \"cart\" within last 7 days then not \"buy\" within 1 day",
                events(ev("cart", ago(Duration.ofDays(8))), ev("cart", ago(Duration.ofDays(3)))), true);
        c("then not after two steps", "performed \"view\" then \"cart\" within 1 hour then not \"buy\" within 1 day",
                events(ev("view", ago(Duration.ofDays(3))), ev("cart", ago(Duration.ofDays(3)).plusSeconds(60))),
                true);
        c("then not after two steps, bought", "performed \"view\" then \"cart\" within 1 hour then not \"buy\" within 1 day",
                events(ev("view", ago(Duration.ofDays(3))), ev("cart", ago(Duration.ofDays(3)).plusSeconds(60)),
                        ev("buy", ago(Duration.ofDays(3)).plusSeconds(120))), false);
        c("not (sequence) holds with no events", "not performed \"cart\" then \"buy\" within 1 day", events(), true);
        c("not (sequence) fails on a match", "not performed \"cart\" then \"buy\" within 1 day",
                events(ev("cart", cart), ev("buy", cart.plusSeconds(1))), false);

        // ---- sequences: DST (a day is 24 hours) -------------------------------------------------------------
        at("DST: next calendar day 30 min earlier is 24.5 h later", NOW, LA, cartThenBuy,
                events(ev("cart", t("2025-11-01T19:00:00Z")), ev("buy", t("2025-11-02T19:30:00Z"))), false);
        at("DST: 24 h later", NOW, LA, cartThenBuy,
                events(ev("cart", t("2025-11-01T19:00:00Z")), ev("buy", t("2025-11-02T19:00:00Z"))), true);
        at("DST: then-not runs out after 24 h, not at the same clock time", t("2025-11-02T18:30:00Z"), LA, abandoned,
                events(ev("cart", t("2025-11-01T19:00:00Z"))), false);

        // ---- anniversaries ---------------------------------------------------------------------------------
        c("birthday today", "birthday anniversary today", profile("birthday", "1990-03-01"), true);
        c("birthday yesterday", "birthday anniversary today", profile("birthday", "1990-02-28"), false);
        c("birthday tomorrow", "birthday anniversary today", profile("birthday", "1990-03-02"), false);
        c("tomorrow within next 2 days", "birthday anniversary within next 2 days", profile("birthday", "1990-03-02"),
                true);
        c("day after tomorrow: outside next 2 days", "birthday anniversary within next 2 days",
                profile("birthday", "1990-03-03"), false);
        c("within next 1 day is today", "birthday anniversary within next 1 day", profile("birthday", "1990-03-01"),
                true);
        c("within next 7 days: the 7th day", "birthday anniversary within next 7 days",
                profile("birthday", "1990-03-07"), true);
        c("within next 7 days: the 8th day", "birthday anniversary within next 7 days",
                profile("birthday", "1990-03-08"), false);
        c("within next 1 week", "birthday anniversary within next 1 week", profile("birthday", "1990-03-07"), true);
        c("within next 1 month is 30 days", "birthday anniversary within next 1 month",
                profile("birthday", "1990-03-31"), false);
        c("within next 1 month: day 30", "birthday anniversary within next 1 month",
                profile("birthday", "1990-03-30"), true);
        c("a date-time value: its day in the zone", "birthday anniversary today",
                profile("birthday", "1990-03-01T23:30:00Z"), true);
        at("a date-time value east of UTC", NOW, KOLKATA, "birthday anniversary today",
                profile("birthday", "1990-03-01T20:00:00Z"), false);
        at("a date-time value east of UTC is tomorrow there", NOW, KOLKATA, "birthday anniversary within next 2 days",
                profile("birthday", "1990-03-01T20:00:00Z"), true);
        at("today is the project zone's day", t("2026-03-01T23:30:00Z"), KOLKATA, "birthday anniversary today",
                profile("birthday", "1990-03-02"), true);
        at("today is the project zone's day (UTC)", t("2026-03-01T23:30:00Z"), UTC, "birthday anniversary today",
                profile("birthday", "1990-03-02"), false);
        at("offset date-time read in LA", NOW, LA, "birthday anniversary today",
                profile("birthday", "1990-03-01T23:00:00-05:00"), true);
        at("DST morning in LA", t("2026-03-08T10:00:00Z"), LA, "birthday anniversary today",
                profile("birthday", "1990-03-08"), true);
        at("29 Feb on 28 Feb of a common year", t("2026-02-28T12:00:00Z"), UTC, "birthday anniversary today",
                profile("birthday", "1988-02-29"), true);
        at("28 Feb on 28 Feb", t("2026-02-28T12:00:00Z"), UTC, "birthday anniversary today",
                profile("birthday", "1988-02-28"), true);
        at("29 Feb not on 1 Mar of a common year", NOW, UTC, "birthday anniversary today",
                profile("birthday", "1988-02-29"), false);
        at("29 Feb not on 28 Feb of a leap year", t("2028-02-28T12:00:00Z"), UTC, "birthday anniversary today",
                profile("birthday", "1988-02-29"), false);
        at("29 Feb on 29 Feb of a leap year", t("2028-02-29T12:00:00Z"), UTC, "birthday anniversary today",
                profile("birthday", "1988-02-29"), true);
        at("29 Feb within the next 2 days from 28 Feb of a leap year", t("2028-02-28T12:00:00Z"), UTC,
                "birthday anniversary within next 2 days", profile("birthday", "1988-02-29"), true);
        at("29 Feb within the next days from 27 Feb of a common year", t("2026-02-27T12:00:00Z"), UTC,
                "birthday anniversary within next 2 days", profile("birthday", "1988-02-29"), true);
        at("29 Feb after 28 Feb of a common year has passed", t("2027-03-01T00:00:00Z"), UTC,
                "birthday anniversary within next 3 days", profile("birthday", "1988-02-29"), false);
        at("across the year end", t("2026-12-30T12:00:00Z"), UTC, "birthday anniversary within next 7 days",
                profile("birthday", "1990-01-02"), true);
        at("across the year end: not yet", t("2026-12-30T12:00:00Z"), UTC, "birthday anniversary within next 3 days",
                profile("birthday", "1990-01-02"), false);
        at("across the year end: 1 January", t("2026-12-30T12:00:00Z"), UTC, "birthday anniversary within next 3 days",
                profile("birthday", "1990-01-01"), true);
        c("within next 365 days: every date", "birthday anniversary within next 365 days",
                profile("birthday", "1988-02-29"), true);
        c("signed up today: no anniversary yet", "signupDate anniversary today",
                profile("signupDate", ago(Duration.ofHours(2))), false);
        c("signed up a year ago today", "signupDate anniversary today",
                profile("signupDate", t("2025-03-01T10:00:00Z")), true);
        c("a value in a later year", "birthday anniversary today", profile("birthday", "2030-03-01"), false);
        c("next year's anniversary of this year's date", "birthday anniversary within next 365 days",
                profile("birthday", "2026-02-01"), true);
        c("profileUpdatedAt", "profileUpdatedAt anniversary today",
                profile("profileUpdatedAt", t("2024-03-01T00:00:00Z")), true);
        c("not a date", "birthday anniversary today", profile("birthday", "hello"), false);
        c("an impossible date", "birthday anniversary today", profile("birthday", "1990-02-30"), false);
        c("a number", "birthday anniversary today", profile("birthday", 19900301), false);
        c("missing", "birthday anniversary today", profile(), false);
        c("not ... on a missing field", "not birthday anniversary today", profile(), true);
        c("any element of an array", "birthday anniversary today",
                profile("birthday", List.of("1990-01-01", "1991-03-01")), true);
        c("nested path", "kids.birthday anniversary today",
                profile("kids", List.of(map("birthday", "2020-05-05"), map("birthday", "2021-03-01"))), true);

        // ---- random buckets: the numbers come from Python's hashlib, not from our code ---------------------
        // md5("segmenta:alice") -> bucket 18; "segmenta:bob@example.com" -> 49; "other:alice" -> 21;
        // "segmenta:Ünïcødé" -> 24.
        c("bucket = 18", "random bucket = 18", profile("userId", "alice"), true);
        c("bucket < 18", "random bucket < 18", profile("userId", "alice"), false);
        c("bucket <= 18", "random bucket <= 18", profile("userId", "alice"), true);
        c("bucket > 18", "random bucket > 18", profile("userId", "alice"), false);
        c("bucket >= 19", "random bucket >= 19", profile("userId", "alice"), false);
        c("bucket != 18", "random bucket != 18", profile("userId", "alice"), false);
        c("bucket < 19", "random bucket < 19", profile("userId", "alice"), true);
        c("userId wins over email", "random bucket = 18", profile("userId", "alice", "email", "bob@example.com"),
                true);
        c("email when no userId, lower-cased", "random bucket = 49", profile("email", "Bob@Example.com"), true);
        c("email when userId is empty", "random bucket = 49", profile("userId", "", "email", "bob@example.com"), true);
        c("UTF-8 identity", "random bucket = 24", profile("userId", "Ünïcødé"), true);
        salted("another salt, another bucket", "other", "random bucket = 21", profile("userId", "alice"), true);
        salted("another salt: not the default bucket", "other", "random bucket = 18", profile("userId", "alice"),
                false);
        c("< 100 is everyone", "random bucket < 100", profile("userId", "alice"), true);
        c(">= 100 is nobody", "random bucket >= 100", profile("userId", "alice"), false);
        c(">= 0 is everyone", "random bucket >= 0", profile("userId", "alice"), true);
        c("< 0 is nobody", "random bucket < 0", profile("userId", "alice"), false);
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @Test
    void thereAreEnoughCases() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(80);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluatorExplainerAndColumnarAgreeWithTheTable(Case c) {
        Rule rule = RuleParser.parse(c.rule()).rule();
        EvaluationContext context = new EvaluationContext(c.now(), c.zone(), RandomRules.DIRECTORY, c.salt());
        assertThat(Evaluator.evaluate(rule, c.user(), context)).as("evaluator").isEqualTo(c.expected());
        assertThat(Explainer.explain(rule, c.user(), context).result()).as("explainer").isEqualTo(c.expected());
        ColumnarIndex index = new ColumnarIndex();
        index.put(7L, c.user());
        index.put(8L, UserSnapshot.ofProfile(map("userId", "someone-else")));
        assertThat(index.evaluate(rule, context).contains(index.ordinal(7L).getAsInt())).as("columnar")
                .isEqualTo(c.expected());
    }

    /** The holdout is what it says: about 10 % of many users, and disjoint buckets partition everyone. */
    @Test
    void bucketsSpreadUsersEvenly() {
        int n = 20_000;
        int[] counts = new int[100];
        for (int i = 0; i < n; i++) {
            counts[RandomBuckets.bucket(RandomBuckets.DEFAULT_SALT, "user-" + i)]++;
        }
        int underTen = 0;
        for (int b = 0; b < 10; b++) {
            underTen += counts[b];
        }
        assertThat(underTen).isBetween(n / 10 - 300, n / 10 + 300);
        for (int count : counts) {
            assertThat(count).isBetween(n / 100 - 80, n / 100 + 80);
        }
    }
}
