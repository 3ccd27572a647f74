package dev.segmenta.core.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.describe.Describer;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.EventRecord;
import dev.segmenta.core.eval.Evidence;
import dev.segmenta.core.eval.Explainer;
import dev.segmenta.core.eval.Explanation;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.text.ParsedRule;
import dev.segmenta.core.text.RuleJson;
import dev.segmenta.core.text.RuleJsonException;
import dev.segmenta.core.text.RuleParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checker, linter, describer, explainer, dependencies and JSON for sequences, anniversaries and buckets. */
class NewRuleKindsToolsTest {
    private final Checker checker = new Checker(TestSchemas.shop());
    private final Linter linter = new Linter(TestSchemas.shop(), TestSchemas.NOW);
    private final Describer describer = new Describer();

    private static Rule rule(String text) {
        return RuleParser.parse(text).rule();
    }

    private List<Diagnostic> check(String text) {
        ParsedRule parsed = RuleParser.parse(text);
        return checker.check(parsed.rule(), parsed.sourceMap());
    }

    // ---- checker ----

    @Test
    void sequenceStepsAreCheckedLikeEventRules() {
        assertThat(check("performed \"purchase\" then \"login\" where device = \"ios\" within 1 day")).isEmpty();
        assertThat(check("performed \"purchase\" then \"login\" where devce = \"ios\" within 1 day"))
                .singleElement().satisfies(d -> {
                    assertThat(d.code()).isEqualTo("unknown-event-field");
                    assertThat(d.message()).isEqualTo("event 'login' has no field 'devce' — did you mean 'device'?");
                    assertThat(d.position().toString()).isEqualTo("1:41");
                });
        assertThat(check("performed \"purchase\" then not \"login\" where device > 3 within 1 day"))
                .singleElement().satisfies(d -> assertThat(d.code()).isEqualTo("bad-operator"));
    }

    @Test
    void unknownEventOfAStepIsAWarningAtTheStep() {
        assertThat(check("performed \"purchase\"\nthen \"purchse\" within 1 day")).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.code()).isEqualTo("unknown-event");
            assertThat(d.message()).contains("did you mean 'purchase'");
            assertThat(d.position().toString()).isEqualTo("2:1");
        });
    }

    @Test
    void anniversaryNeedsADateField() {
        assertThat(check("lastOrderDate anniversary within next 7 days and signupDate anniversary today")).isEmpty();
        assertThat(check("age anniversary today")).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("bad-operator");
            assertThat(d.message()).isEqualTo("'anniversary' needs a date field, but 'age' is a number");
            assertThat(d.position().toString()).isEqualTo("1:5");
        });
        assertThat(check("birthdy anniversary today")).singleElement()
                .satisfies(d -> assertThat(d.code()).isEqualTo("unknown-field"));
    }

    @Test
    void bucketNeedsNothingFromTheCatalog() {
        assertThat(check("random bucket < 10 and performed \"purchase\"")).isEmpty();
    }

    // ---- linter ----

    @Test
    void thenNotWithoutATimeIsWarned() {
        assertThat(linter.lint(rule("performed \"purchase\" within last 7 days then not \"login\"")))
                .extracting(Diagnostic::code).containsExactly("then-not-without-time");
        assertThat(linter.lint(rule("performed \"purchase\" within last 7 days then not \"login\" within 1 day")))
                .isEmpty();
    }

    @Test
    void staleAndUnseenEventsOfStepsAreWarned() {
        assertThat(linter.lint(rule("performed \"purchase\" then \"emailOpen\" within 1 day")))
                .extracting(Diagnostic::code).containsExactly("event-stale");
        assertThat(linter.lint(rule("performed \"purchase\" then \"nothing\" within 1 day")))
                .extracting(Diagnostic::code).containsExactly("event-never-seen");
    }

    @Test
    void bucketsThatHoldForNoneOrAllAreWarned() {
        assertThat(linter.lint(rule("random bucket >= 100"))).extracting(Diagnostic::code)
                .containsExactly("contradiction");
        assertThat(linter.lint(rule("random bucket < 100"))).extracting(Diagnostic::code)
                .containsExactly("tautology");
        assertThat(linter.lint(rule("random bucket < 10"))).isEmpty();
        assertThat(linter.lint(rule("random bucket < 10 and random bucket >= 10"))).extracting(Diagnostic::code)
                .containsExactly("contradiction");
        assertThat(linter.lint(rule("random bucket < 10 or random bucket >= 10"))).extracting(Diagnostic::code)
                .containsExactly("tautology");
    }

    // ---- describer ----

    @Test
    void describesSequencesAnniversariesAndBuckets() {
        assertThat(describer.describe(rule("performed \"addToCart\" within last 7 days then not \"purchase\" within 1 day")))
                .isEqualTo("People who performed addToCart in the last 7 days and then did not perform purchase"
                        + " within 1 day");
        assertThat(describer.describe(rule("performed \"view\" then \"addToCart\" within 30 minutes then \"purchase\"")))
                .isEqualTo("People who performed view and then performed addToCart within 30 minutes and then"
                        + " performed purchase later");
        assertThat(describer.describe(rule("birthday anniversary within next 7 days")))
                .isEqualTo("People who have their birthday anniversary in the next 7 days");
        assertThat(describer.describe(rule("signupDate anniversary today")))
                .isEqualTo("People who have their sign-up anniversary today");
        assertThat(describer.describe(rule("not birthday anniversary today")))
                .isEqualTo("People who do not have their birthday anniversary today");
        assertThat(describer.describe(rule("random bucket < 10")))
                .isEqualTo("People who are in random buckets 0 to 9 (10% of people)");
        assertThat(describer.describe(rule("not random bucket < 10")))
                .isEqualTo("People who are in random buckets 10 to 99 (90% of people)");
        assertThat(describer.describe(rule("random bucket != 50")))
                .isEqualTo("People who are in random 99 of the 100 buckets (99% of people)");
    }

    // ---- explainer ----

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Explanation explain(String text, UserSnapshot user) {
        return Explainer.explain(rule(text), user,
                new EvaluationContext(NOW, ZoneOffset.UTC, TestSchemas.shop()));
    }

    private static UserSnapshot user(EventRecord... events) {
        return UserSnapshot.ofProfile(Map.of("userId", "alice")).withEvents(List.of(events));
    }

    @Test
    void explainShowsTheChainThatMatched() {
        Instant cart = NOW.minus(Duration.ofDays(3));
        Explanation e = explain("performed \"cart\" then \"buy\" within 1 day", user(
                EventRecord.of("cart", cart.minus(Duration.ofDays(5))), EventRecord.of("cart", cart),
                EventRecord.of("buy", cart.plus(Duration.ofHours(2)))));
        assertThat(e.result()).isTrue();
        Evidence.Sequence s = (Evidence.Sequence) e.evidence();
        assertThat(s.chain()).extracting(Evidence.StepEvent::createdAt)
                .containsExactly(cart, cart.plus(Duration.ofHours(2)));
        assertThat(e.facts()).anySatisfy(t -> assertThat(t).startsWith("reached 2 of 2 steps: cart at"));
    }

    @Test
    void explainNamesTheNearestMiss() {
        Instant cart = NOW.minus(Duration.ofDays(3));
        Explanation broken = explain("performed \"cart\" then \"buy\" within 1 day", user(EventRecord.of("cart", cart),
                EventRecord.of("buy", cart.plus(Duration.ofDays(2)))));
        assertThat(broken.result()).isFalse();
        assertThat(broken.nearestMiss().reason()).isEqualTo("no buy event came after cart within 1 day");

        Explanation pending = explain("performed \"cart\" then not \"buy\" within 1 day",
                user(EventRecord.of("cart", NOW.minus(Duration.ofHours(2)))));
        assertThat(pending.result()).isFalse();
        assertThat(pending.nearestMiss().reason()).contains("has not run out yet")
                .contains(NOW.plus(Duration.ofHours(22)).toString());

        Explanation bought = explain("performed \"cart\" then not \"buy\" within 1 day",
                user(EventRecord.of("cart", cart), EventRecord.of("buy", cart.plus(Duration.ofHours(3)))));
        assertThat(bought.result()).isFalse();
        assertThat(((Evidence.Sequence) bought.evidence()).blocking().createdAt()).isEqualTo(cart.plus(Duration.ofHours(3)));
        assertThat(bought.nearestMiss().reason()).startsWith("buy followed cart");

        Explanation none = explain("performed \"cart\" then \"buy\"", user());
        assertThat(none.nearestMiss().reason()).isEqualTo("no cart event to start the sequence");
    }

    @Test
    void explainShowsTheBucket() {
        Explanation e = explain("random bucket < 10", user());
        assertThat(e.result()).isFalse();
        assertThat(((Evidence.Bucket) e.evidence()).bucket()).isEqualTo(18); // md5("segmenta:alice"), from Python
        assertThat(e.nearestMiss().reason()).isEqualTo("the user's random bucket is 18");
    }

    // ---- real-time dependencies ----

    @Test
    void dependenciesNameEveryStepAndTheIdentity() {
        assertThat(RuleDependencies.of(rule("performed \"a\" then \"b\" then not \"c\" within 1 day")).events())
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(RuleDependencies.of(rule("random bucket < 10")).fields()).containsExactlyInAnyOrder("userId", "email");
        assertThat(RuleDependencies.of(rule("birthday anniversary today")).fields()).containsExactly("birthday");
    }

    // ---- JSON as the API sends it ----

    @Test
    void jsonFormOfTheNewKinds() {
        String sequence = "{\"type\":\"sequence\",\"steps\":[{\"eventName\":\"addToCart\"},"
                + "{\"eventName\":\"purchase\",\"negated\":true,\"within\":{\"amount\":1,\"unit\":\"DAY\"}}],"
                + "\"window\":{\"type\":\"during\",\"condition\":{\"type\":\"withinLast\",\"span\":{\"amount\":7,\"unit\":\"DAY\"}}}}";
        assertThat(RuleJson.read(sequence))
                .isEqualTo(rule("performed \"addToCart\" within last 7 days then not \"purchase\" within 1 day"));
        assertThat(RuleJson.write(RuleJson.read(sequence))).isEqualTo("{\"formatVersion\":1,\"rule\":" + sequence + "}");
        assertThat(RuleJson.read("{\"type\":\"bucket\",\"op\":\"LT\",\"value\":10}")).isEqualTo(rule("random bucket < 10"));
        assertThat(RuleJson.read("{\"type\":\"field\",\"field\":[\"birthday\"],\"condition\":{\"type\":\"anniversary\","
                + "\"within\":{\"amount\":7,\"unit\":\"DAY\"}}}")).isEqualTo(rule("birthday anniversary within next 7 days"));
        assertThat(RuleJson.read("{\"type\":\"field\",\"field\":[\"birthday\"],\"condition\":{\"type\":\"anniversary\"}}"))
                .isEqualTo(rule("birthday anniversary today"));
    }

    @Test
    void malformedJsonOfTheNewKindsIsRejectedWithTheReason() {
        assertThatThrownBy(() -> RuleJson.read("{\"type\":\"bucket\",\"op\":\"LT\",\"value\":101}"))
                .isInstanceOf(RuleJsonException.class).hasMessageContaining("a random bucket is a whole number from 0 to 100");
        assertThatThrownBy(() -> RuleJson.read("{\"type\":\"sequence\",\"steps\":[{\"eventName\":\"a\"}]}"))
                .isInstanceOf(RuleJsonException.class).hasMessageContaining("a sequence has 2 to 5 steps");
        assertThatThrownBy(() -> RuleJson.read("{\"type\":\"sequence\",\"steps\":[{\"eventName\":\"a\"},"
                + "{\"eventName\":\"b\",\"negated\":true},{\"eventName\":\"c\"}]}"))
                .isInstanceOf(RuleJsonException.class).hasMessageContaining("'then not' can only be the last step");
        assertThatThrownBy(() -> RuleJson.read("{\"type\":\"field\",\"field\":[\"b\"],\"condition\":{\"type\":\"anniversary\","
                + "\"within\":{\"amount\":2,\"unit\":\"HOUR\"}}}"))
                .isInstanceOf(RuleJsonException.class).hasMessageContaining("an anniversary is within whole days");
    }
}
