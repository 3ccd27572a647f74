package dev.segmenta.core.eval;

import static dev.segmenta.core.ast.Aggregate.Function.AVG;
import static dev.segmenta.core.ast.Aggregate.Function.MAX;
import static dev.segmenta.core.ast.Aggregate.Function.MIN;
import static dev.segmenta.core.ast.Aggregate.Function.SUM;
import static dev.segmenta.core.ast.Span.Unit.DAY;
import static dev.segmenta.core.ast.Span.Unit.HOUR;
import static dev.segmenta.core.ast.Span.Unit.MINUTE;
import static dev.segmenta.core.ast.Span.Unit.MONTH;
import static dev.segmenta.core.ast.Span.Unit.WEEK;
import static dev.segmenta.core.ast.SubscriptionRule.Target.CHANNEL;
import static dev.segmenta.core.ast.SubscriptionRule.Target.MESSAGE_TYPE;
import static dev.segmenta.core.eval.Rules.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The evaluator against DESIGN.md §3, one row per operator and edge. Every row is also explained. */
class EvaluatorTableTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

    record Case(String name, Rule rule, UserSnapshot user, ZoneId zone, boolean expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void c(String name, Rule rule, UserSnapshot user, boolean expected) {
        CASES.add(new Case(name, rule, user, UTC, expected));
    }

    private static void c(String name, Rule rule, UserSnapshot user, ZoneId zone, boolean expected) {
        CASES.add(new Case(name, rule, user, zone, expected));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static UserSnapshot user(Object... kv) {
        return UserSnapshot.ofProfile(map(kv));
    }

    static List<Object> arr(Object... vs) {
        return Arrays.asList(vs);
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static Instant daysAgo(long n) {
        return NOW.minus(Duration.ofDays(n));
    }

    static EventRecord ev(String name, Instant at, Object... kv) {
        return new EventRecord(name, at, map(kv));
    }

    static UserSnapshot withEvents(EventRecord... events) {
        return user("email", "a@example.com").withEvents(List.of(events));
    }

    static final UserSnapshot NOBODY = user();
    static final Duration SECOND = Duration.ofSeconds(1);

    static {
        // --- text equality, case folding, type mismatch, missing and null
        c("= matches exact text", f("state", eq("CA")), user("state", "CA"), true);
        c("= ignores case", f("state", eq("ca")), user("state", "Ca"), true);
        c("= folds non-ASCII with Locale.ROOT", f("city", eq("ÉVORA")), user("city", "évora"), true);
        c("= different text", f("state", eq("CA")), user("state", "NY"), false);
        c("= is not substring", f("state", eq("CA")), user("state", "CAL"), false);
        c("= on missing field is false", f("state", eq("CA")), NOBODY, false);
        c("= on null is false", f("state", eq("CA")), user("state", null), false);
        c("= text on number is false", f("zip", eq("94110")), user("zip", 94110), false);
        c("= number on numeric string is false", f("zip", eq(94110)), user("zip", "94110"), false);
        c("!= on missing field is true", f("state", ne("CA")), NOBODY, true);
        c("!= on null is true", f("state", ne("CA")), user("state", null), true);
        c("!= same text other case is false", f("state", ne("ca")), user("state", "CA"), false);
        c("!= different text is true", f("state", ne("CA")), user("state", "NY"), true);
        c("= empty string literal matches empty value", f("nick", eq("")), user("nick", ""), true);
        c("system field email", f("email", eq("ANA@example.com")), user("email", "ana@example.com"), true);
        c("system field userId", f("userId", eq("u1")), user("userId", "u1"), true);

        // --- numbers
        c("= 1 equals 1.0", f("score", eq(1)), user("score", new BigDecimal("1.0")), true);
        c("= 1.0 equals integer 1", f("score", eq(new BigDecimal("1.0"))), user("score", 1), true);
        c("= double 0.1 is exactly 0.1", f("score", eq(new BigDecimal("0.1"))), user("score", 0.1d), true);
        c("= long value", f("n", eq(5_000_000_000L)), user("n", 5_000_000_000L), true);
        c("> true", f("age", cmp(">", 18)), user("age", 19), true);
        c("> at the bound false", f("age", cmp(">", 18)), user("age", 18), false);
        c(">= at the bound true", f("age", cmp(">=", 18)), user("age", 18), true);
        c("< true", f("age", cmp("<", 18)), user("age", 17.5), true);
        c("< at the bound false", f("age", cmp("<", 18)), user("age", 18), false);
        c("<= at the bound true", f("age", cmp("<=", 18)), user("age", 18L), true);
        c("> on a string is false", f("age", cmp(">", 18)), user("age", "99"), false);
        c("> on a boolean is false", f("age", cmp(">", 0)), user("age", true), false);
        c("> on missing is false", f("age", cmp(">", 0)), NOBODY, false);
        c("not > on missing is true", not(f("age", cmp(">", 0))), NOBODY, true);
        c("negative numbers", f("balance", cmp("<", -10)), user("balance", -10.5), true);
        c("NaN is not a number", f("x", cmp("<", 0)), user("x", Double.NaN), false);
        c("between inclusive low", f("age", between(18, 30)), user("age", 18), true);
        c("between inclusive high", f("age", between(18, 30)), user("age", 30), true);
        c("between just above", f("age", between(18, 30)), user("age", 30.01), false);
        c("between just below", f("age", between(18, 30)), user("age", 17.99), false);
        c("between reversed bounds matches nothing", f("age", between(30, 18)), user("age", 20), false);
        c("between on string is false", f("age", between(18, 30)), user("age", "20"), false);
        c("between text bounds match nothing", f("name", between("a", "z")), user("name", "m"), false);

        // --- in / not in
        c("in matches one of", f("plan", in("pro", "team")), user("plan", "Team"), true);
        c("in none of", f("plan", in("pro", "team")), user("plan", "free"), false);
        c("in numbers numerically", f("tier", in(1, 2)), user("tier", new BigDecimal("2.00")), true);
        c("in on missing is false", f("plan", in("pro")), NOBODY, false);
        c("not in on missing is true", f("plan", notIn("pro")), NOBODY, true);
        c("not in on a member is false", f("plan", notIn("pro", "team")), user("plan", "PRO"), false);
        c("not in on other value is true", f("plan", notIn("pro", "team")), user("plan", "free"), true);
        c("in on array value, any element", f("plans", in("pro")), user("plans", arr("free", "pro")), true);
        c("in mixed literal types", f("v", in("x", 3, true)), user("v", true), true);

        // --- contains
        c("contains substring", f("name", contains("nn")), user("name", "Anna"), true);
        c("contains substring case-insensitive", f("name", contains("ANN")), user("name", "anna"), true);
        c("contains substring missing", f("name", contains("x")), user("name", "Anna"), false);
        c("contains on array is element equality", f("tags", contains("vip")), user("tags", arr("VIP", "new")), true);
        c("contains on array is not substring", f("tags", contains("vi")), user("tags", arr("vip", "new")), false);
        c("contains number in array", f("ids", contains(3)), user("ids", arr(1, 2, 3.0)), true);
        c("contains number on a number is false", f("n", contains(3)), user("n", 3), false);
        c("contains on empty array", f("tags", contains("vip")), user("tags", arr()), false);
        c("contains on missing", f("tags", contains("vip")), NOBODY, false);
        c("not contains on missing is true", f("tags", notContains("vip")), NOBODY, true);
        c("not contains on empty array is true", f("tags", notContains("vip")), user("tags", arr()), true);
        c("not contains when present is false", f("tags", notContains("vip")), user("tags", arr("vip")), false);
        c("not contains substring present is false", f("name", notContains("nn")), user("name", "Anna"), false);
        c("contains in nested arrays", f("m", contains("x")), user("m", arr(arr("x"), arr("y"))), true);
        c("contains any one present", f("tags", containsAny("a", "b")), user("tags", arr("b", "c")), true);
        c("contains any none present", f("tags", containsAny("a", "b")), user("tags", arr("c")), false);
        c("contains all present", f("tags", containsAll("a", "b")), user("tags", arr("B", "c", "A")), true);
        c("contains all one absent", f("tags", containsAll("a", "b")), user("tags", arr("a", "c")), false);
        c("contains all on string: all substrings", f("bio", containsAll("java", "sql")),
                user("bio", "Java and SQL"), true);
        c("contains all across elements of a path", f("items.name", containsAll("boots", "hat")),
                user("items", arr(map("name", "boots"), map("name", "hat"))), true);
        c("contains any on missing", f("tags", containsAny("a")), NOBODY, false);

        // --- starts / ends with
        c("starts with ignores case", f("email", startsWith("ANA@")), user("email", "ana@x.io"), true);
        c("starts with no", f("email", startsWith("bob")), user("email", "ana@x.io"), false);
        c("ends with", f("email", endsWith("@X.IO")), user("email", "ana@x.io"), true);
        c("ends with no", f("email", endsWith(".com")), user("email", "ana@x.io"), false);
        c("starts with on number is false", f("zip", startsWith("94")), user("zip", 94110), false);
        c("starts with on array any element", f("tags", startsWith("pre")), user("tags", arr("x", "premium")), true);
        c("ends with on missing", f("email", endsWith(".io")), NOBODY, false);
        c("starts with empty text on empty value", f("nick", startsWith("")), user("nick", ""), true);

        // --- is set
        c("is set on value", f("phone", isSet()), user("phone", "555"), true);
        c("is set on missing", f("phone", isSet()), NOBODY, false);
        c("is set on null", f("phone", isSet()), user("phone", null), false);
        c("is set on empty string", f("phone", isSet()), user("phone", ""), false);
        c("is set on blank string", f("phone", isSet()), user("phone", " "), true);
        c("is set on empty array", f("tags", isSet()), user("tags", arr()), false);
        c("is set on array of null", f("tags", isSet()), user("tags", arr((Object) null)), true);
        c("is set on empty object", f("address", isSet()), user("address", map()), true);
        c("is set on zero", f("n", isSet()), user("n", 0), true);
        c("is set on false", f("b", isSet()), user("b", false), true);
        c("is not set on missing", f("phone", isNotSet()), NOBODY, true);
        c("is not set on empty string", f("phone", isNotSet()), user("phone", ""), true);
        c("is not set on empty array", f("tags", isNotSet()), user("tags", arr()), true);
        c("is not set on value", f("phone", isNotSet()), user("phone", "555"), false);
        c("is set through array of objects, one set", f("items.name", isSet()),
                user("items", arr(map("name", ""), map("name", "x"))), true);
        c("is set through empty array", f("items.name", isSet()), user("items", arr()), false);

        // --- booleans
        c("is true", f("vip", isBool(true)), user("vip", true), true);
        c("is true on false", f("vip", isBool(true)), user("vip", false), false);
        c("is false", f("vip", isBool(false)), user("vip", false), true);
        c("is false on missing is false", f("vip", isBool(false)), NOBODY, false);
        c("is true on string 'true' is false", f("vip", isBool(true)), user("vip", "true"), false);
        c("= true", f("vip", eq(true)), user("vip", true), true);
        c("!= true on missing", f("vip", ne(true)), NOBODY, true);
        c("is true on array any element", f("flags", isBool(true)), user("flags", arr(false, true)), true);

        // --- paths
        Map<String, Object> address = map("address", map("city", "Lisbon", "geo", map("country", "PT")));
        c("nested path", f("address.city", eq("lisbon")), UserSnapshot.ofProfile(address), true);
        c("deep nested path", f("address.geo.country", eq("pt")), UserSnapshot.ofProfile(address), true);
        c("path through a scalar reaches nothing", f("address.city.name", isSet()), UserSnapshot.ofProfile(address),
                false);
        c("path through null", f("address.city", isSet()), user("address", null), false);
        c("path with missing middle", f("address.zip", ne("x")), UserSnapshot.ofProfile(address), true);
        UserSnapshot shopper = user("items", arr(map("name", "jacket", "price", 120),
                map("name", "Boots", "price", 80), map("price", 5), null));
        c("array of objects any element", f("items.name", eq("boots")), shopper, true);
        c("array of objects none", f("items.name", eq("hat")), shopper, false);
        c("array of objects != is not of =", f("items.name", ne("boots")), shopper, false);
        c("array of objects != none matches", f("items.name", ne("hat")), shopper, true);
        c("array of objects numeric any", f("items.price", cmp(">", 100)), shopper, true);
        c("array of objects numeric none", f("items.price", cmp(">", 200)), shopper, false);
        c("array of objects between any", f("items.price", between(1, 10)), shopper, true);
        c("nested arrays of objects", f("orders.items.sku", eq("A1")),
                user("orders", arr(map("items", arr(map("sku", "b2"))), map("items", arr(map("sku", "a1"))))), true);
        c("top-level value array of numbers", f("scores", cmp(">=", 10)), user("scores", arr(1, 10)), true);
        c("field name with dot is one step", new dev.segmenta.core.ast.FieldRule(
                dev.segmenta.core.ast.FieldPath.of("a.b"), eq("x")), user("a.b", "x"), true);

        // --- date fields: windows and boundaries (now = 2026-03-01T12:00:00Z)
        c("within last 30 days, 29 days ago", f("signupDate", withinLast(30, DAY)), user("signupDate", daysAgo(29)),
                true);
        c("within last 30 days, exactly 30 days ago is out", f("signupDate", withinLast(30, DAY)),
                user("signupDate", daysAgo(30)), false);
        c("within last 30 days, 1 s inside", f("signupDate", withinLast(30, DAY)),
                user("signupDate", daysAgo(30).plus(SECOND)), true);
        c("within last 30 days, 1 s outside", f("signupDate", withinLast(30, DAY)),
                user("signupDate", daysAgo(30).minus(SECOND)), false);
        c("within last includes now", f("signupDate", withinLast(1, MINUTE)), user("signupDate", NOW), true);
        c("within last excludes the future", f("signupDate", withinLast(30, DAY)),
                user("signupDate", NOW.plus(SECOND)), false);
        c("within last 2 weeks", f("signupDate", withinLast(2, WEEK)), user("signupDate", daysAgo(13)), true);
        c("within last 1 month is 30 days", f("signupDate", withinLast(1, MONTH)), user("signupDate", daysAgo(31)),
                false);
        c("within last 3 hours", f("signupDate", withinLast(3, HOUR)), user("signupDate", ago(Duration.ofHours(2))),
                true);
        c("within last on missing", f("signupDate", withinLast(30, DAY)), NOBODY, false);
        c("not within last on missing is true", not(f("signupDate", withinLast(30, DAY))), NOBODY, true);
        c("more than 30 days ago, exactly 30 is out", f("lastSeen", moreThanAgo(30, DAY)),
                user("lastSeen", daysAgo(30)), false);
        c("more than 30 days ago, 1 s before", f("lastSeen", moreThanAgo(30, DAY)),
                user("lastSeen", daysAgo(30).minus(SECOND)), true);
        c("more than 30 days ago, 1 s after", f("lastSeen", moreThanAgo(30, DAY)),
                user("lastSeen", daysAgo(30).plus(SECOND)), false);
        c("within next 7 days includes now", f("renewal", withinNext(7, DAY)), user("renewal", NOW), true);
        c("within next 7 days, exactly 7 days ahead is out", f("renewal", withinNext(7, DAY)),
                user("renewal", NOW.plus(Duration.ofDays(7))), false);
        c("within next 7 days, 1 s inside", f("renewal", withinNext(7, DAY)),
                user("renewal", NOW.plus(Duration.ofDays(7)).minus(SECOND)), true);
        c("within next excludes the past", f("renewal", withinNext(7, DAY)), user("renewal", NOW.minus(SECOND)),
                false);
        c("date condition on a number is false", f("signupDate", withinLast(30, DAY)), user("signupDate", 1700000000),
                false);
        c("date condition on non-date text is false", f("signupDate", withinLast(30, DAY)),
                user("signupDate", "yesterday"), false);
        c("date condition on impossible date is false", f("d", before(day("2027-01-01"))), user("d", "2026-02-30"),
                false);

        // --- string dates
        c("ISO Z string", f("d", withinLast(2, DAY)), user("d", "2026-02-28T12:00:01Z"), true);
        c("ISO Z string at the edge", f("d", withinLast(2, DAY)), user("d", "2026-02-27T12:00:00Z"), false);
        c("space form with offset", f("d", after(moment("2026-03-01T09:59:59Z"))),
                user("d", "2026-03-01 10:00:00 +00:00"), true);
        c("offset string", f("d", before(moment("2026-03-01T10:00:00Z"))), user("d", "2026-03-01T11:59:59+02:00"),
                true);
        c("fractional seconds string", f("d", after(moment("2026-03-01T10:00:00Z"))),
                user("d", "2026-03-01T10:00:00.001Z"), true);
        c("date-only string is start of day in project zone", f("d", on("2026-01-31")), user("d", "2026-01-31"), LA,
                true);
        c("date-only string, after the previous day", f("d", after(day("2026-01-30"))), user("d", "2026-01-31"),
                KOLKATA, true);
        c("date-only string, before its own day is false", f("d", before(day("2026-01-31"))), user("d", "2026-01-31"),
                KOLKATA, false);
        c("local date-time string is in project zone", f("d", on("2026-01-31")), user("d", "2026-01-31T23:30:00"),
                LA, true);
        c("dates in array any element", f("ds", withinLast(1, DAY)), user("ds", arr("2020-01-01", NOW)), true);

        // --- date-only literals in a non-UTC project zone
        Instant laMidnight = Instant.parse("2026-01-31T08:00:00Z"); // 2026-01-31T00:00 in Los Angeles (PST)
        c("on D in LA, first instant", f("d", on("2026-01-31")), user("d", laMidnight), LA, true);
        c("on D in LA, 1 s before", f("d", on("2026-01-31")), user("d", laMidnight.minus(SECOND)), LA, false);
        c("on D in LA, last second", f("d", on("2026-01-31")),
                user("d", laMidnight.plus(Duration.ofDays(1)).minus(SECOND)), LA, true);
        c("on D in LA, next day start", f("d", on("2026-01-31")), user("d", laMidnight.plus(Duration.ofDays(1))), LA,
                false);
        c("on D in UTC differs from LA", f("d", on("2026-01-31")), user("d", laMidnight.minus(SECOND)), UTC, true);
        c("before D in LA", f("d", before(day("2026-01-31"))), user("d", laMidnight.minus(SECOND)), LA, true);
        c("before D in LA at start is false", f("d", before(day("2026-01-31"))), user("d", laMidnight), LA, false);
        c("after D in LA, same day is false", f("d", after(day("2026-01-31"))),
                user("d", laMidnight.plus(Duration.ofHours(23))), LA, false);
        c("after D in LA, next day start", f("d", after(day("2026-01-31"))),
                user("d", laMidnight.plus(Duration.ofDays(1))), LA, true);
        Instant kolkataMidnight = Instant.parse("2026-01-30T18:30:00Z"); // 2026-01-31T00:00 in Kolkata (+05:30)
        c("on D in Kolkata, first instant", f("d", on("2026-01-31")), user("d", kolkataMidnight), KOLKATA, true);
        c("on D in Kolkata, 1 s before", f("d", on("2026-01-31")), user("d", kolkataMidnight.minus(SECOND)), KOLKATA,
                false);
        c("between D1 and D2 in Kolkata, last second of D2", f("d", dateBetween(day("2026-01-31"), day("2026-02-01"))),
                user("d", kolkataMidnight.plus(Duration.ofDays(2)).minus(SECOND)), KOLKATA, true);
        c("between D1 and D2 in Kolkata, start of D2+1", f("d", dateBetween(day("2026-01-31"), day("2026-02-01"))),
                user("d", kolkataMidnight.plus(Duration.ofDays(2))), KOLKATA, false);
        c("between D1 and D2 in Kolkata, 1 s before D1", f("d", dateBetween(day("2026-01-31"), day("2026-02-01"))),
                user("d", kolkataMidnight.minus(SECOND)), KOLKATA, false);
        c("date-time literal ignores project zone", f("d", before(moment("2026-01-31T00:00:00Z"))),
                user("d", Instant.parse("2026-01-30T23:59:59Z")), KOLKATA, true);
        c("after date-time is strict", f("d", after(moment("2026-01-31T10:00:00Z"))),
                user("d", Instant.parse("2026-01-31T10:00:00Z")), false);
        c("before date-time is strict", f("d", before(moment("2026-01-31T10:00:00Z"))),
                user("d", Instant.parse("2026-01-31T10:00:00Z")), false);
        c("between date-times inclusive start", f("d", dateBetween(moment("2026-01-31T10:00:00Z"),
                moment("2026-01-31T11:00:00Z"))), user("d", Instant.parse("2026-01-31T10:00:00Z")), true);
        c("between date-times inclusive end", f("d", dateBetween(moment("2026-01-31T10:00:00Z"),
                moment("2026-01-31T11:00:00Z"))), user("d", Instant.parse("2026-01-31T11:00:00Z")), true);
        c("between date-times after end", f("d", dateBetween(moment("2026-01-31T10:00:00Z"),
                moment("2026-01-31T11:00:00Z"))), user("d", Instant.parse("2026-01-31T11:00:01Z")), false);
        c("date-time literal with offset", f("d", after(moment("2026-01-31T10:00:00+05:30"))),
                user("d", Instant.parse("2026-01-31T04:30:01Z")), true);

        // --- = / != with date literals: date-only means "on", date-time means the same instant
        c("= D is on D (LA)", f("d", eq(day("2026-01-31"))), user("d", laMidnight.plus(Duration.ofHours(20))), LA,
                true);
        c("= D next day start (LA)", f("d", eq(day("2026-01-31"))), user("d", laMidnight.plus(Duration.ofDays(1))),
                LA, false);
        c("!= D on missing", f("d", ne(day("2026-01-31"))), NOBODY, true);
        c("= T same instant", f("d", eq(moment("2026-01-31T10:00:00Z"))), user("d", "2026-01-31T11:00:00+01:00"),
                true);
        c("= T one second later", f("d", eq(moment("2026-01-31T10:00:00Z"))),
                user("d", Instant.parse("2026-01-31T10:00:01Z")), false);
        c("in [D1, D2]", f("d", in(day("2026-01-01"), day("2026-01-31"))), user("d", "2026-01-31T12:00:00Z"), true);
        c("= D on a text value that is not a date", f("d", eq(day("2026-01-31"))), user("d", "soon"), false);

        // --- events: count, window, where
        UserSnapshot buyer = withEvents(
                ev("purchase", daysAgo(100), "item", "jacket", "amount", 120),
                ev("purchase", daysAgo(10), "item", "Boots", "amount", 80.5),
                ev("purchase", daysAgo(1), "item", "hat", "amount", new BigDecimal("19.50")),
                ev("Purchase", daysAgo(1), "item", "hat", "amount", 1000),
                ev("login", daysAgo(32)),
                ev("login", daysAgo(3)));
        c("performed ever", performed("purchase").rule(), buyer, true);
        c("performed is case-sensitive on name", performed("PURCHASE").rule(), buyer, false);
        c("performed never", performed("signup").rule(), buyer, false);
        c("performed with no events", performed("purchase").rule(), NOBODY, false);
        c("not performed with no events", not(performed("purchase").rule()), NOBODY, true);
        c("at least 3", performed("purchase").atLeast(3).rule(), buyer, true);
        c("at least 4 (other-case name not counted)", performed("purchase").atLeast(4).rule(), buyer, false);
        c("at most 3", performed("purchase").atMost(3).rule(), buyer, true);
        c("at most 2", performed("purchase").atMost(2).rule(), buyer, false);
        c("at most 1 includes zero", performed("purchase").atMost(1).rule(), NOBODY, true);
        c("at most 0 with none", performed("signup").atMost(0).rule(), buyer, true);
        c("exactly 3", performed("purchase").exactly(3).rule(), buyer, true);
        c("exactly 0 with none", performed("purchase").exactly(0).rule(), NOBODY, true);
        c("exactly 2", performed("purchase").exactly(2).rule(), buyer, false);
        c("at least 0 always holds", performed("signup").atLeast(0).rule(), NOBODY, true);
        c("within last 30 days", performed("purchase").atLeast(2).during(withinLast(30, DAY)).rule(), buyer, true);
        c("within last 5 days", performed("purchase").atLeast(2).during(withinLast(5, DAY)).rule(), buyer, false);
        c("window ever written out", performed("purchase").atLeast(3).ever().rule(), buyer, true);
        c("window exactly N days ago is out", performed("login").during(withinLast(32, DAY)).atLeast(2).rule(), buyer,
                false);
        c("window 1 s inside", performed("x").during(withinLast(7, DAY)).rule(),
                withEvents(ev("x", daysAgo(7).plus(SECOND))), true);
        c("window 1 s outside", performed("x").during(withinLast(7, DAY)).rule(),
                withEvents(ev("x", daysAgo(7).minus(SECOND))), false);
        c("window exactly 7 days ago", performed("x").during(withinLast(7, DAY)).rule(),
                withEvents(ev("x", daysAgo(7))), false);
        c("window at now", performed("x").during(withinLast(7, DAY)).rule(), withEvents(ev("x", NOW)), true);
        c("future event not within last", performed("x").during(withinLast(7, DAY)).rule(),
                withEvents(ev("x", NOW.plus(SECOND))), false);
        c("window before D", performed("purchase").during(before(day("2025-12-01"))).rule(), buyer, true);
        c("window after D", performed("purchase").atLeast(3).during(after(day("2025-12-01"))).rule(), buyer, false);
        c("window between D1 and D2 in LA", performed("x").during(dateBetween(day("2026-01-31"), day("2026-01-31")))
                .rule(), withEvents(ev("x", laMidnight.plus(Duration.ofHours(23)))), LA, true);
        c("window between D1 and D2 in UTC misses", performed("x").during(dateBetween(day("2026-01-31"),
                day("2026-01-31"))).rule(), withEvents(ev("x", laMidnight.plus(Duration.ofHours(23)))), UTC, false);
        c("not performed within last 90 days includes never", not(performed("purchase").during(withinLast(90, DAY))
                .rule()), withEvents(ev("login", NOW)), true);
        c("not performed within last 90 days, old purchase only", not(performed("purchase")
                .during(withinLast(90, DAY)).rule()), withEvents(ev("purchase", daysAgo(100))), true);
        c("not performed within last 90 days, recent", not(performed("purchase").during(withinLast(90, DAY)).rule()),
                buyer, false);
        c("where text case-insensitive", performed("purchase").where(f("item", eq("BOOTS"))).rule(), buyer, true);
        c("where no match", performed("purchase").where(f("item", eq("scarf"))).rule(), buyer, false);
        c("where all must hold on the same event", performed("purchase")
                .where(f("item", eq("boots")), f("amount", cmp(">", 100))).rule(), buyer, false);
        c("where two conditions same event", performed("purchase")
                .where(f("item", eq("jacket")), f("amount", cmp(">", 100))).rule(), buyer, true);
        c("where != includes events without the field", performed("purchase").where(f("coupon", ne("X"))).atLeast(3)
                .rule(), buyer, true);
        c("where on nested event array", performed("order").where(f("items.sku", eq("a1"))).rule(),
                withEvents(ev("order", daysAgo(1), "items", arr(map("sku", "B2"), map("sku", "A1")))), true);
        c("where counts with window", performed("purchase").where(f("amount", cmp("<", 100))).atLeast(2)
                .during(withinLast(30, DAY)).rule(), buyer, true);
        c("not performed where includes other items only", not(performed("purchase").where(f("item", eq("scarf")))
                .rule()), buyer, true);

        // --- aggregates
        c("sum >= 220", performed("purchase").with(SUM, "amount", ">=", 220).rule(), buyer, true);
        c("sum exact = 220", performed("purchase").with(SUM, "amount", "=", "220.0").rule(), buyer, true);
        c("sum > 220", performed("purchase").with(SUM, "amount", ">", 220).rule(), buyer, false);
        c("sum within window", performed("purchase").during(withinLast(30, DAY)).with(SUM, "amount", "=", 100)
                .rule(), buyer, true);
        c("sum of nothing is 0, with at most 0", performed("purchase").atMost(0).with(SUM, "amount", "=", 0).rule(),
                NOBODY, true);
        c("sum of nothing < 10 with at least 0", performed("purchase").atLeast(0).with(SUM, "amount", "<", 10).rule(),
                NOBODY, true);
        c("avg of nothing is false", performed("purchase").atLeast(0).with(AVG, "amount", ">=", 0).rule(), NOBODY,
                false);
        c("min of nothing is false", performed("purchase").atMost(5).with(MIN, "amount", "<", 1000).rule(), NOBODY,
                false);
        c("max of nothing is false", performed("purchase").atMost(5).with(MAX, "amount", ">", -1).rule(), NOBODY,
                false);
        c("avg exact without rounding", performed("p").with(AVG, "v", "=", new BigDecimal("1.5")).rule(),
                withEvents(ev("p", NOW, "v", 1), ev("p", NOW, "v", 2)), true);
        c("avg of thirds compares exactly", performed("p").with(AVG, "v", ">", new BigDecimal("0.3333333333333333"))
                .rule(), withEvents(ev("p", NOW, "v", 1), ev("p", NOW, "v", 0), ev("p", NOW, "v", 0)), true);
        c("min", performed("purchase").with(MIN, "amount", "=", "19.5").rule(), buyer, true);
        c("max", performed("purchase").with(MAX, "amount", "=", 120).rule(), buyer, true);
        c("aggregate skips non-numeric and missing", performed("p").with(AVG, "v", "=", 4).rule(),
                withEvents(ev("p", NOW, "v", 4), ev("p", NOW, "v", "9"), ev("p", NOW)), true);
        c("aggregate events present but no numeric values, avg false", performed("p").with(AVG, "v", ">", 0).rule(),
                withEvents(ev("p", NOW, "v", "9")), false);
        c("aggregate and count both needed", performed("purchase").atLeast(4).with(SUM, "amount", ">", 0).rule(),
                buyer, false);
        c("aggregate over array field values", performed("order").with(SUM, "items.price", "=", 15).rule(),
                withEvents(ev("order", NOW, "items", arr(map("price", 5), map("price", 10)))), true);
        c("not with aggregate", not(performed("purchase").with(SUM, "amount", ">", 1000).rule()), buyer, true);

        // --- first / last performed
        c("last login within last 7 days", last("login", withinLast(7, DAY)), buyer, true);
        c("first login within last 7 days", first("login", withinLast(7, DAY)), buyer, false);
        c("first login more than 30 days ago", first("login", moreThanAgo(30, DAY)), buyer, true);
        c("last login more than 30 days ago", last("login", moreThanAgo(30, DAY)), buyer, false);
        c("last with no events is false", last("login", withinLast(7, DAY)), NOBODY, false);
        c("first with no events is false", first("login", moreThanAgo(1, DAY)), NOBODY, false);
        c("not last with no events is true", not(last("login", withinLast(7, DAY))), NOBODY, true);
        c("last with where", last("purchase", withinLast(20, DAY), f("item", eq("boots"))), buyer, true);
        c("last with where none match", last("purchase", withinLast(20, DAY), f("item", eq("scarf"))), buyer, false);
        c("last exactly at the window edge", last("login", withinLast(3, DAY)), buyer, false);
        c("last on D in Kolkata", last("x", on("2026-01-31")), withEvents(ev("x", kolkataMidnight)), KOLKATA, true);
        c("last before D", last("purchase", before(day("2026-03-01"))), buyer, true);

        // --- lists
        UserSnapshot beta = NOBODY.withEmailListIds(Set.of(TestDirectory.BETA));
        c("in list member", inList("Beta testers"), beta, true);
        c("in list not member", inList("VIP"), beta, false);
        c("in unknown list is false", inList("Nope"), beta, false);
        c("not in unknown list is true", not(inList("Nope")), beta, true);
        c("list names are exact", inList("beta testers"), beta, false);

        // --- subscriptions
        UserSnapshot optedIn = NOBODY.withSubscriptions(Set.of(), Set.of(), Set.of(TestDirectory.NEWSLETTER));
        UserSnapshot emailOff = NOBODY.withSubscriptions(Set.of(TestDirectory.EMAIL), Set.of(),
                Set.of(TestDirectory.NEWSLETTER));
        UserSnapshot promosOff = NOBODY.withSubscriptions(Set.of(), Set.of(TestDirectory.PROMOS), Set.of());
        c("opt-in type, subscribed", subscribedTo(MESSAGE_TYPE, "Newsletter"), optedIn, true);
        c("opt-in type, never subscribed", subscribedTo(MESSAGE_TYPE, "Newsletter"), NOBODY, false);
        c("opt-in type, unsubscribed from when never subscribed", unsubscribedFrom(MESSAGE_TYPE, "Newsletter"), NOBODY,
                true);
        c("opt-in type, channel unsubscribed", subscribedTo(MESSAGE_TYPE, "Newsletter"), emailOff, false);
        c("opt-out type, default subscribed", subscribedTo(MESSAGE_TYPE, "Promotions"), NOBODY, true);
        c("opt-out type, unsubscribed", subscribedTo(MESSAGE_TYPE, "Promotions"), promosOff, false);
        c("opt-out type, unsubscribed from", unsubscribedFrom(MESSAGE_TYPE, "Promotions"), promosOff, true);
        c("opt-out type, channel unsubscribed", subscribedTo(MESSAGE_TYPE, "Promotions"), emailOff, false);
        c("opt-out type on another channel", subscribedTo(MESSAGE_TYPE, "Alerts"), emailOff, true);
        c("channel subscribed by default", subscribedTo(CHANNEL, "Email"), NOBODY, true);
        c("channel unsubscribed", subscribedTo(CHANNEL, "Email"), emailOff, false);
        c("unsubscribed from channel", unsubscribedFrom(CHANNEL, "Email"), emailOff, true);
        c("unknown channel not subscribed", subscribedTo(CHANNEL, "Fax"), NOBODY, false);
        c("unknown channel unsubscribed", unsubscribedFrom(CHANNEL, "Fax"), NOBODY, true);
        c("unknown message type not subscribed", subscribedTo(MESSAGE_TYPE, "Nope"), NOBODY, false);

        // --- segments (see DIRECTORY below)
        c("in segment evaluates the definition", inSegment("Californians"), user("state", "ca"), true);
        c("in segment false", inSegment("Californians"), user("state", "ny"), false);
        c("in segment nested reference", inSegment("Californian buyers"),
                withEvents(ev("purchase", NOW)).withEmailListIds(Set.of()), false);
        c("in segment nested reference true", inSegment("Californian buyers"),
                new UserSnapshot(map("state", "CA"), List.of(ev("purchase", NOW)), Set.of(), Set.of(), Set.of(),
                        Set.of()), true);
        c("in unknown segment is false", inSegment("Nope"), NOBODY, false);
        c("not in unknown segment is true", not(inSegment("Nope")), NOBODY, true);

        // --- groups and negation
        c("and all true", and(f("a", eq(1)), f("b", eq(2))), user("a", 1, "b", 2), true);
        c("and one false", and(f("a", eq(1)), f("b", eq(2))), user("a", 1, "b", 3), false);
        c("or one true", or(f("a", eq(1)), f("b", eq(2))), user("a", 0, "b", 2), true);
        c("or none true", or(f("a", eq(1)), f("b", eq(2))), NOBODY, false);
        c("not not", not(not(f("a", eq(1)))), user("a", 1), true);
        c("not of and", not(and(f("a", eq(1)), f("b", eq(2)))), user("a", 1), true);
        c("design example 1", and(f("signupDate", withinLast(30, DAY)), not(performed("purchase").rule())),
                user("signupDate", daysAgo(3)), true);
        c("design example 2", and(not(performed("emailOpen").during(withinLast(30, DAY)).rule()),
                last("login", withinLast(7, DAY))), buyer, true);
        c("design example 3", and(f("state", eq("CA")), performed("purchase").where(f("item", eq("jacket"))).rule(),
                not(performed("purchase").where(f("item", eq("boots"))).rule())),
                new UserSnapshot(map("state", "ca"), List.of(ev("purchase", NOW, "item", "Jacket")), Set.of(),
                        Set.of(), Set.of(), Set.of()), true);
        c("design example 4", performed("purchase").atLeast(3).during(withinLast(90, DAY))
                .with(SUM, "amount", ">=", 500).rule(), withEvents(ev("purchase", daysAgo(1), "amount", 200),
                        ev("purchase", daysAgo(2), "amount", 200), ev("purchase", daysAgo(89), "amount", 100)), true);
        c("design example 5", and(or(f("plan", in("pro", "team")), inList("Beta testers")),
                subscribedTo(MESSAGE_TYPE, "Newsletter")),
                user("plan", "free").withEmailListIds(Set.of(TestDirectory.BETA))
                        .withSubscriptions(Set.of(), Set.of(), Set.of(TestDirectory.NEWSLETTER)), true);
    }

    static final TestDirectory DIRECTORY = new TestDirectory()
            .segment("Californians", f("state", eq("CA")))
            .segment("Californian buyers", and(inSegment("Californians"), performed("purchase").rule()));

    static Stream<Arguments> cases() {
        return CASES.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluatesAsSpecified(Case c) {
        EvaluationContext context = new EvaluationContext(NOW, c.zone(), DIRECTORY);
        assertThat(Evaluator.evaluate(c.rule(), c.user(), context)).as(c.name()).isEqualTo(c.expected());
        assertThat(Evaluator.evaluate(not(c.rule()), c.user(), context)).isEqualTo(!c.expected());
        assertThat(Explainer.explain(c.rule(), c.user(), context).result()).isEqualTo(c.expected());
    }

    @org.junit.jupiter.api.Test
    void tableHasAtLeast150Cases() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(150);
        assertThat(CASES.stream().map(Case::name).distinct().count()).isEqualTo(CASES.size());
    }
}
