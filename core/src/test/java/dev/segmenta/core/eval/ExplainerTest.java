package dev.segmenta.core.eval;

import static dev.segmenta.core.ast.Aggregate.Function.AVG;
import static dev.segmenta.core.ast.Aggregate.Function.SUM;
import static dev.segmenta.core.ast.Span.Unit.DAY;
import static dev.segmenta.core.eval.EvaluatorTableTest.daysAgo;
import static dev.segmenta.core.eval.EvaluatorTableTest.ev;
import static dev.segmenta.core.eval.EvaluatorTableTest.user;
import static dev.segmenta.core.eval.Rules.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.segmenta.core.ast.Rule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainerTest {
    static final Instant NOW = EvaluatorTableTest.NOW;
    static final EvaluationContext CONTEXT = new EvaluationContext(NOW, ZoneOffset.UTC, new TestDirectory()
            .segment("Loop A", inSegment("Loop B"))
            .segment("Loop B", and(f("a", eq(1)), inSegment("Loop A"))));

    private static Explanation explain(Rule rule, UserSnapshot user) {
        return Explainer.explain(rule, user, CONTEXT);
    }

    @Test
    void countMiss_saysHowManyAndHowManyNeeded() {
        Explanation e = explain(performed("purchase").atLeast(3).rule(),
                EvaluatorTableTest.withEvents(ev("purchase", daysAgo(2))));
        assertThat(e.result()).isFalse();
        assertThat(e.nearestMiss().reason()).isEqualTo("1 purchase, needs at least 3");
        assertThat(e.nearestMiss().distance()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        Evidence.Events evidence = (Evidence.Events) e.evidence();
        assertThat(evidence.count()).isEqualTo(1);
        assertThat(evidence.events()).extracting(Evidence.FoundEvent::createdAt).containsExactly(daysAgo(2));
    }

    @Test
    void recencyMiss_saysHowLongAgo() {
        Explanation e = explain(last("login", withinLast(30, DAY)),
                EvaluatorTableTest.withEvents(ev("login", daysAgo(32)), ev("login", daysAgo(40))));
        assertThat(e.nearestMiss().reason())
                .isEqualTo("last login 32 days ago (" + daysAgo(32) + "), needs within last 30 days");
        assertThat(((Evidence.Recency) e.evidence()).time()).isEqualTo(daysAgo(32));
    }

    @Test
    void recencyWithNoEvents_saysNever() {
        Explanation e = explain(last("login", withinLast(30, DAY)), user());
        assertThat(e.nearestMiss().reason()).startsWith("never performed login");
        assertThat(e.nearestMiss().distance()).isEqualTo(1.0);
    }

    @Test
    void nearestMiss_isTheClosestFailingLeaf() {
        Rule rule = and(f("plan", eq("pro")), f("age", cmp(">=", 18)), performed("purchase").atLeast(10).rule());
        Explanation e = explain(rule, new UserSnapshot(java.util.Map.of("age", 17), List.of(ev("purchase", NOW)),
                java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), java.util.Set.of()));
        assertThat(e.result()).isFalse();
        assertThat(e.children()).extracting(Explanation::result).containsExactly(false, false, false);
        assertThat(e.nearestMiss().label()).isEqualTo("age >= 18");
        assertThat(e.nearestMiss().reason()).isEqualTo("age is 17, needs >= 18");
    }

    @Test
    void missingField_isAFullMiss() {
        Explanation e = explain(f("state", eq("CA")), user());
        assertThat(e.nearestMiss().reason()).isEqualTo("state is not set, needs = \"CA\"");
        assertThat(((Evidence.FieldValues) e.evidence()).values()).isEmpty();
    }

    @Test
    void aggregateMiss_showsTheValue() {
        Explanation e = explain(performed("purchase").with(SUM, "amount", ">=", 500).rule(),
                EvaluatorTableTest.withEvents(ev("purchase", NOW, "amount", 120), ev("purchase", NOW, "amount", 200)));
        assertThat(e.nearestMiss().reason()).isEqualTo("sum(amount) is 320 over 2 purchase, needs >= 500");
        assertThat(((Evidence.Events) e.evidence()).aggregate().value()).isEqualByComparingTo("320");
    }

    @Test
    void aggregateOfNothing_saysThereAreNoValues() {
        Explanation e = explain(performed("purchase").atLeast(0).with(AVG, "amount", ">", 1).rule(), user());
        assertThat(e.nearestMiss().reason()).isEqualTo("avg(amount) has no values in 0 purchase, needs > 1");
    }

    @Test
    void falseNegation_saysWhatHeld() {
        Explanation e = explain(not(performed("purchase").during(withinLast(90, DAY)).rule()),
                EvaluatorTableTest.withEvents(ev("purchase", daysAgo(1)), ev("purchase", daysAgo(2))));
        assertThat(e.nearestMiss().reason())
                .isEqualTo("matches performed \"purchase\" within last 90 days (2 purchase events), which the rule excludes");
    }

    @Test
    void trueGroup_hasNoMissButKeepsAllChildren() {
        Explanation e = explain(or(f("a", eq(1)), f("b", eq(2))), user("a", 1));
        assertThat(e.result()).isTrue();
        assertThat(e.nearestMiss()).isNull();
        assertThat(e.children()).hasSize(2);
        assertThat(e.children().get(1).nearestMiss().reason()).isEqualTo("b is not set, needs = 2");
    }

    @Test
    void segmentReference_explainsTheDefinitionInline() {
        EvaluationContext context = new EvaluationContext(NOW, ZoneOffset.UTC,
                new TestDirectory().segment("Californians", f("state", eq("CA"))));
        Explanation e = Explainer.explain(inSegment("Californians"), user("state", "NY"), context);
        assertThat(e.children()).singleElement().extracting(Explanation::label).isEqualTo("state = \"CA\"");
        assertThat(e.nearestMiss().reason()).isEqualTo("state is \"NY\", needs = \"CA\"");
    }

    @Test
    void segmentCycle_failsLoudlyInBothEvaluatorAndExplainer() {
        assertThatThrownBy(() -> Evaluator.evaluate(inSegment("Loop A"), user("a", 1), CONTEXT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segment reference cycle: Loop A -> Loop B -> Loop A");
        assertThatThrownBy(() -> explain(inSegment("Loop A"), user("a", 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void labels_readAsRuleText() {
        Rule rule = and(or(f("plan", in("pro", "team")), inList("Beta testers")),
                performed("purchase").where(f("item", eq("a \"b\""))).atLeast(3).during(withinLast(90, DAY))
                        .with(SUM, "amount", ">=", 500).rule());
        assertThat(explain(rule, user()).label()).isEqualTo(
                "(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and performed \"purchase\" where "
                        + "item = \"a \\\"b\\\"\" at least 3 times within last 90 days with sum(amount) >= 500");
    }

    @Test
    void explanation_serialisesToJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        Rule rule = and(f("signupDate", withinLast(30, DAY)), performed("purchase").atLeast(3).rule(),
                last("login", withinLast(7, DAY)), inList("VIP"),
                subscribedTo(dev.segmenta.core.ast.SubscriptionRule.Target.CHANNEL, "Email"));
        UserSnapshot u = new UserSnapshot(java.util.Map.of("signupDate", daysAgo(3)),
                List.of(ev("purchase", daysAgo(1), "amount", 5)), java.util.Set.of(), java.util.Set.of(),
                java.util.Set.of(), java.util.Set.of());
        JsonNode json = mapper.readTree(mapper.writeValueAsString(explain(rule, u)));
        assertThat(json.get("result").asBoolean()).isFalse();
        assertThat(json.get("children")).hasSize(5);
        assertThat(json.get("children").get(1).get("evidence").get("kind").asText()).isEqualTo("events");
        assertThat(json.get("children").get(1).get("evidence").get("events").get(0).get("createdAt").asText())
                .isEqualTo(daysAgo(1).toString());
        assertThat(json.get("nearestMiss").get("reason").asText()).isNotBlank();
    }

    /** A Java record's or map's toString: {@code Count[op=AT_LEAST, times=1]}, {@code {amount=5}}. */
    private static final java.util.regex.Pattern DUMP = java.util.regex.Pattern.compile("\\w\\[\\w+=|\\{\\w+=|\\w=\\w|=null");

    @Test
    void everyEvidenceKind_readsAsPlainWords_neverAsAJavaDump() {
        EvaluationContext context = new EvaluationContext(NOW, ZoneOffset.UTC,
                new TestDirectory().segment("Californians", f("state", eq("CA"))));
        UserSnapshot u = new UserSnapshot(java.util.Map.of("state", "NY", "tags", List.of("a", "b"), "address",
                java.util.Map.of("city", "Paris"), "signupDate", daysAgo(3).toString(), "age", 40),
                List.of(ev("purchase", daysAgo(1), "amount", 5, "item", "jacket"), ev("purchase", daysAgo(40), "amount", 7),
                        ev("login", daysAgo(2))),
                java.util.Set.of(TestDirectory.VIP), java.util.Set.of(TestDirectory.PUSH), java.util.Set.of(),
                java.util.Set.of(TestDirectory.NEWSLETTER));
        String[] rules = {
            "state = \"CA\"", "tags contains \"c\"", "address.city = \"Rome\"", "nickname is set", "signupDate within last 1 days",
            "age between 18 and 30", "performed \"purchase\"", "performed \"purchase\" at least 3 times within last 30 days",
            "not performed \"purchase\" within last 90 days", "performed \"purchase\" before 2026-02-01",
            "performed \"purchase\" after 2026-02-01", "performed \"purchase\" between 2026-01-01 and 2026-02-01",
            "performed \"purchase\" with sum(amount) >= 500", "performed \"refund\" at least 0 times with avg(amount) > 1",
            "last performed \"login\" within last 1 days", "first performed \"signup\" before 2026-01-01",
            "in list \"VIP\"", "in list \"Beta testers\"", "in list \"Nope\"", "subscribed to channel \"Push\"",
            "subscribed to message type \"Newsletter\"", "unsubscribed from message type \"Promotions\"",
            "in segment \"Californians\"", "not (state = \"NY\" and in list \"VIP\")", "not last performed \"login\" within last 7 days",
        };
        java.util.Set<String> kinds = new java.util.HashSet<>();
        for (String text : rules) {
            Rule rule = dev.segmenta.core.text.RuleParser.parse(text).rule();
            Explanation e = Explainer.explain(rule, u, context);
            List<String> said = new java.util.ArrayList<>();
            collect(e, said, kinds);
            assertThat(said).as(text).isNotEmpty().allSatisfy(line ->
                    assertThat(DUMP.matcher(line).find()).as("%s: %s", text, line).isFalse());
        }
        assertThat(kinds).containsExactlyInAnyOrder("FieldValues", "Events", "Recency", "ListMembership", "Subscription",
                "SegmentReference");
    }

    @Test
    void eventFacts_nameTheWindowAndTheCountInWords() {
        Explanation e = explain(performed("purchase").atLeast(3).during(withinLast(30, DAY)).rule(),
                EvaluatorTableTest.withEvents(ev("purchase", daysAgo(1), "amount", 5)));
        assertThat(e.facts()).containsExactly(
                "1 purchase event between 2026-01-30 12:00 UTC and now, needs at least 3",
                "purchase at 2026-02-28 12:00 UTC with amount 5");
    }

    private static void collect(Explanation e, List<String> said, java.util.Set<String> kinds) {
        said.add(e.label());
        said.addAll(e.facts());
        if (e.evidence() != null) {
            kinds.add(e.evidence().getClass().getSimpleName());
            assertThat(e.facts()).as(e.label()).isNotEmpty();
        }
        if (e.nearestMiss() != null) {
            said.add(e.nearestMiss().reason());
        }
        e.children().forEach(c -> collect(c, said, kinds));
    }
}
