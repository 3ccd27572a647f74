package dev.segmenta.core.eval;

import static dev.segmenta.core.eval.Rules.and;
import static dev.segmenta.core.eval.Rules.f;
import static dev.segmenta.core.eval.Rules.inSegment;
import static dev.segmenta.core.eval.Rules.not;
import static dev.segmenta.core.eval.Rules.or;
import static dev.segmenta.core.eval.Rules.performed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.testing.RuleGenerator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * The columnar engine ({@link ColumnarIndex}) against the reference: for random rule trees over random users, the
 * bitmap it answers holds exactly the users for whom {@link Evaluator} says true. The population has missing
 * fields, nulls, empty strings and arrays, nested objects and arrays of objects, numbers of every Java type
 * (huge, tiny, many decimals, doubles and floats), events on window and day boundaries (to the microsecond and
 * below), users put twice (replaced) and removed. The rules come from the shared {@link RuleGenerator}, over these users' vocabulary.
 */
class ColumnarAgreementTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.000123Z");
    static final TestDirectory DIRECTORY = new TestDirectory()
            .segment("S1", f("a", Rules.eq("x")))
            .segment("S2", or(inSegment("S1"), performed("buy").rule()))
            .segment("Nested", and(inSegment("S2"), not(inSegment("S1"))));

    /** Rules over the fields, events and names of {@link RandomUsers}, with literals that often match them. */
    static final RuleGenerator RULES = new RuleGenerator(
            new RuleGenerator.Vocabulary(
                    Arbitraries.of("a", "b", "tags", "items.name", "items.price", "d", "email", "signupDate")
                            .map(FieldPath::parseDotted),
                    Arbitraries.of("buy", "view"), Arbitraries.of("amount", "item").map(FieldPath::parseDotted),
                    Arbitraries.just(FieldPath.of("amount")),
                    Arbitraries.of(new Value.Text("x"), new Value.Text("y"), number("5"), number("10")),
                    Arbitraries.of("Beta testers", "VIP", "Nope"), Arbitraries.of("S1", "S2", "Nested", "Nope"),
                    Arbitraries.of("Email", "Push", "Newsletter", "Promotions", "Alerts", "Nope")),
            new RuleGenerator.Literals(Arbitraries.of("x", "X", "y", ""), Arbitraries.of("x", "", "X", "y"),
                    Arbitraries.of("0", "1", "1.0", "1.5", "2", "5", "10", "20").map(BigDecimal::new),
                    Arbitraries.of(number("1"), number("2")),
                    Arbitraries.of("2026-02-20", "2026-02-26", "2026-02-27", "2026-03-01").map(Rules::day),
                    Arbitraries.oneOf(
                            Arbitraries.of("2026-02-15", "2026-02-26", "2026-02-27", "2026-03-01").map(Rules::day),
                            Arbitraries.of("2026-02-27T10:00:00Z", "2026-02-28T23:30:00+05:30").map(Rules::moment)),
                    Combinators.combine(Arbitraries.longs().between(1, 30),
                            Arbitraries.of(Span.Unit.DAY, Span.Unit.HOUR, Span.Unit.WEEK)).as(Span::new),
                    Arbitraries.longs().between(0, 3), Arbitraries.of(0, 1, 10, 50, 99, 100)),
            RuleGenerator.defaultShape().groups(7, 1, 1, 1, 0));

    /**
     * Rules over {@link AwkwardUsers}' fields with literals on the awkward values and boundaries: numbers of every
     * size and scale on {@code n}, {@code items.price} and {@code amount}, times on window and day boundaries.
     */
    static final RuleGenerator AWKWARD_RULES = RULES
            .with(RULES.vocabulary()
                    .withUserPaths(Arbitraries.of("n", "items.price", "d", "signupDate", "a", "items.name")
                            .map(FieldPath::parseDotted))
                    .withEvents(Arbitraries.of("buy", "view"),
                            Arbitraries.of("amount", "item", "item.name").map(FieldPath::parseDotted),
                            Arbitraries.of(new Value.Text("x"), number("1.5"), number("0.1"))))
            .with(new RuleGenerator.Literals(Arbitraries.of("x", "X", "Y", "xY", "Éx", ""),
                    Arbitraries.of("x", "", "X"),
                    Arbitraries.of("0", "0.1", "0.10", "0.1000000000000000000000001", "100000000000000000000",
                            "9223372036854775807", "9223372036854775808", "9007199254740993", "1.5", "2", "3", "-1")
                            .map(BigDecimal::new),
                    Arbitraries.of(number("0.1"), number("9007199254740993"), new Value.Text("1")),
                    Arbitraries.of("2026-02-20", "2026-02-25", "2026-02-27", "2026-03-01").map(Rules::day),
                    Arbitraries.oneOf(
                            Arbitraries.of("2026-02-20", "2026-02-25", "2026-02-27", "2026-03-01").map(Rules::day),
                            Arbitraries.of("2026-02-20T00:00:00Z", "2026-02-27T12:00:00.000123Z",
                                    "2026-02-27T10:00:00Z").map(Rules::moment)),
                    Combinators.combine(Arbitraries.longs().between(1, 30),
                            Arbitraries.of(Span.Unit.DAY, Span.Unit.HOUR)).as(Span::new),
                    Arbitraries.longs().between(0, 3), Arbitraries.of(0, 50, 100)))
            .with(RULES.shape().groups(4, 1, 1, 1, 0));

    /** Two in three over {@link RandomUsers}' vocabulary three deep, one in three awkward two deep. */
    static Arbitrary<Rule> rules() {
        return Arbitraries.frequencyOf(Tuple.of(2, RULES.rules(3)), Tuple.of(1, AWKWARD_RULES.rules(2)));
    }

    private static Value number(String literal) {
        return new Value.Number(new BigDecimal(literal));
    }

    @Provide("rules")
    Arbitrary<Rule> provideRules() {
        return rules();
    }

    @Property(tries = 1000)
    void columnarAgreesWithTheEvaluatorOnEveryUser(@ForAll("rules") Rule rule, @ForAll long seed) {
        Random random = new Random(seed);
        ZoneId zone = ZoneId.of(new String[] {"UTC", "America/Los_Angeles", "Asia/Kolkata"}[random.nextInt(3)]);
        EvaluationContext context = new EvaluationContext(NOW, zone, DIRECTORY);
        Population population = Population.random(random, zone, 10 + random.nextInt(40));
        assertAgree(rule, population, context);
        assertAgree(not(rule), population, context);
    }

    @Property(tries = 300)
    void columnarAgreesOnAwkwardTrees(@ForAll("rulesWithSeed") Tuple.Tuple2<Rule, Long> input) {
        Random random = new Random(input.get2());
        EvaluationContext context = new EvaluationContext(NOW, ZoneId.of("UTC"), DIRECTORY);
        Population population = Population.random(random, ZoneId.of("UTC"), 20);
        assertAgree(input.get1(), population, context);
    }

    @Provide
    Arbitrary<Tuple.Tuple2<Rule, Long>> rulesWithSeed() {
        return RuleGenerator.awkward().rules(2).flatMap(r -> net.jqwik.api.Arbitraries.longs()
                .withDistribution(RandomDistribution.uniform()).map(s -> Tuple.of(r, s)));
    }

    static void assertAgree(Rule rule, Population population, EvaluationContext context) {
        Set<Long> expected = new TreeSet<>();
        population.current.forEach((pk, user) -> {
            if (Evaluator.evaluate(rule, user, context)) {
                expected.add(pk);
            }
        });
        Set<Long> actual = new TreeSet<>();
        for (long pk : population.index.userPks(population.index.evaluate(rule, context))) {
            actual.add(pk);
        }
        assertThat(actual).as("%s (zone %s)", RuleLabel.of(rule), context.projectZone()).isEqualTo(expected);
    }

    /** An index and the users it should hold now, after puts, replacements and removals. */
    static final class Population {
        final ColumnarIndex index = new ColumnarIndex();
        final Map<Long, UserSnapshot> current = new LinkedHashMap<>();

        static Population random(Random random, ZoneId zone, int size) {
            Population p = new Population();
            RandomUsers users = new RandomUsers(random, NOW);
            AwkwardUsers awkward = new AwkwardUsers(random, zone);
            Map<Long, UserSnapshot> bulk = new HashMap<>();
            for (long pk = 1; pk <= size; pk++) {
                UserSnapshot user = random.nextBoolean() ? users.user() : awkward.user();
                if (random.nextBoolean()) {
                    bulk.put(pk, user);
                } else {
                    p.index.put(pk, user);
                }
                p.current.put(pk, user);
            }
            p.index.putAll(bulk);
            for (long pk = 1; pk <= size; pk++) {
                int roll = random.nextInt(10);
                if (roll == 0) {
                    p.index.remove(pk);
                    p.current.remove(pk);
                } else if (roll <= 2) {
                    UserSnapshot replacement = random.nextBoolean() ? users.user() : awkward.user();
                    p.index.put(pk, replacement);
                    p.current.put(pk, replacement);
                }
            }
            if (random.nextInt(4) == 0) {
                p.index.compact();
            }
            return p;
        }
    }

    /**
     * Users that stress exactness: the number field {@code n} and event {@code amount} in every Java number type
     * and size, dates as instants with sub-microsecond parts and as strings without offsets (read in the project
     * zone), and events exactly on window and day boundaries.
     */
    static final class AwkwardUsers {
        static final Object[] NUMBERS = {0L, -0.0d, 0.1d, 0.1f, new BigDecimal("0.1"), new BigDecimal("0.10"),
            new BigDecimal("0.1000000000000000000000001"), 1e20d, new BigDecimal("100000000000000000000"),
            Long.MAX_VALUE, Long.MIN_VALUE, new BigInteger("9223372036854775808"), 9007199254740993L,
            9007199254740992d, new BigDecimal("1E+400"), new BigDecimal("-1E-400"), Double.NaN, 3, (short) 2,
            1.5d, "1", Double.MAX_VALUE};
        private final Random random;
        private final ZoneId zone;

        AwkwardUsers(Random random, ZoneId zone) {
            this.random = random;
            this.zone = zone;
        }

        UserSnapshot user() {
            Map<String, Object> profile = new LinkedHashMap<>();
            maybe(profile, "n", () -> random.nextInt(4) == 0 ? List.of(number(), number()) : number());
            maybe(profile, "a", () -> pick("x", "X", "xY", "Éx", "", null));
            maybe(profile, "d", () -> pick(boundary(), boundary().toString(), dayString(), "2026-02-27 10:00",
                    List.of(boundary(), "not a date")));
            maybe(profile, "signupDate", this::boundary);
            maybe(profile, "items", () -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    maybe(item, "name", () -> pick("x", "Y", "", List.of("x", "z")));
                    maybe(item, "price", this::number);
                    items.add(item);
                }
                return items;
            });
            List<EventRecord> events = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                Map<String, Object> data = new LinkedHashMap<>();
                maybe(data, "amount", () -> random.nextInt(3) == 0 ? Arrays.asList(number(), number()) : number());
                maybe(data, "item", () -> pick("x", "Y", "", List.of("x", "y"), Map.of("name", "x")));
                events.add(new EventRecord(pick("buy", "view", "Buy"), boundary(), data));
            }
            return new UserSnapshot(profile, events, ids(1, 2), ids(10, 11), ids(100, 101, 102), ids(100, 101, 102));
        }

        private Object number() {
            return pick(NUMBERS);
        }

        /** An instant on or just beside a boundary that rules use: now, now minus N days/hours, a day start. */
        private Instant boundary() {
            Instant base = switch (random.nextInt(4)) {
                case 0 -> NOW;
                case 1 -> NOW.minus(Duration.ofDays(1 + random.nextInt(30)));
                case 2 -> NOW.minus(Duration.ofHours(1 + random.nextInt(10)));
                default -> LocalDate.of(2026, 2, 15).plusDays(random.nextInt(15)).atStartOfDay(zone).toInstant();
            };
            long[] nudges = {0, 0, 1, -1, 1000, -1000, 1_000_000, -1_000_000, 500};
            return base.plusNanos(nudges[random.nextInt(nudges.length)]);
        }

        private String dayString() {
            return LocalDate.of(2026, 2, 20 + random.nextInt(9)).toString();
        }

        private void maybe(Map<String, Object> map, String key, java.util.function.Supplier<Object> value) {
            int roll = random.nextInt(5);
            if (roll == 0) {
                return;
            }
            map.put(key, roll == 1 ? null : value.get());
        }

        private Set<Long> ids(long... candidates) {
            return RandomUsers.someOf(random, candidates);
        }

        @SafeVarargs
        private <T> T pick(T... options) {
            return RandomUsers.anyOf(random, options);
        }
    }
}
