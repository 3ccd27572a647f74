package dev.segmenta.core.eval;

import static dev.segmenta.core.eval.Rules.and;
import static dev.segmenta.core.eval.Rules.f;
import static dev.segmenta.core.eval.Rules.inSegment;
import static dev.segmenta.core.eval.Rules.not;
import static dev.segmenta.core.eval.Rules.or;
import static dev.segmenta.core.eval.Rules.performed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SubscriptionRule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws of the two-valued semantics, over random rules and users built from a seed. */
class EvaluatorPropertiesTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final TestDirectory DIRECTORY = new TestDirectory()
            .segment("S1", f("a", Rules.eq("x")))
            .segment("S2", or(inSegment("S1"), performed("buy").rule()));

    private static EvaluationContext context(Random random) {
        ZoneId zone = ZoneId.of(new String[] {"UTC", "America/Los_Angeles", "Asia/Kolkata"}[random.nextInt(3)]);
        return new EvaluationContext(NOW, zone, DIRECTORY);
    }

    @Property(tries = 2000)
    void notIsTheNegation(@ForAll long seed) {
        Random random = new Random(seed);
        Rule p = new RandomRules(random).rule(3);
        UserSnapshot user = new RandomUsers(random, NOW).user();
        EvaluationContext context = context(random);
        assertThat(Evaluator.evaluate(not(p), user, context))
                .as(RuleLabel.of(p))
                .isEqualTo(!Evaluator.evaluate(p, user, context));
    }

    @Property(tries = 2000)
    void explanationRootIsTheEvaluatorResult(@ForAll long seed) {
        Random random = new Random(seed);
        Rule p = new RandomRules(random).rule(3);
        UserSnapshot user = new RandomUsers(random, NOW).user();
        EvaluationContext context = context(random);
        Explanation explanation = Explainer.explain(p, user, context);
        assertThat(explanation.result()).as(RuleLabel.of(p)).isEqualTo(Evaluator.evaluate(p, user, context));
        assertThat(explanation.nearestMiss() == null).isEqualTo(explanation.result());
        assertEveryFalseNodeHasAMiss(explanation);
    }

    private static void assertEveryFalseNodeHasAMiss(Explanation node) {
        assertThat(node.nearestMiss() == null).as(node.label()).isEqualTo(node.result());
        if (!node.result()) {
            assertThat(node.nearestMiss().distance()).isBetween(0.0, 1.0);
            assertThat(node.nearestMiss().reason()).isNotBlank();
        }
        node.children().forEach(EvaluatorPropertiesTest::assertEveryFalseNodeHasAMiss);
    }

    @Property(tries = 2000)
    void negativeFieldFormsAreTheNegationOfTheirPositiveForms(@ForAll long seed) {
        Random random = new Random(seed);
        RandomRules rules = new RandomRules(random);
        UserSnapshot user = new RandomUsers(random, NOW).user();
        EvaluationContext context = context(random);
        FieldRule rule = rules.field();
        Object v = rules.value();
        Object w = rules.value();
        String path = rule.field().dotted();
        List<Rule[]> pairs = List.of(
                new Rule[] {f(path, Rules.ne(v)), f(path, Rules.eq(v))},
                new Rule[] {f(path, Rules.notIn(v, w)), f(path, Rules.in(v, w))},
                new Rule[] {f(path, Rules.notContains(v)), f(path, Rules.contains(v))},
                new Rule[] {f(path, Rules.isNotSet()), f(path, Rules.isSet())},
                new Rule[] {new SubscriptionRule(false, SubscriptionRule.Target.MESSAGE_TYPE, "Newsletter"),
                    new SubscriptionRule(true, SubscriptionRule.Target.MESSAGE_TYPE, "Newsletter")},
                new Rule[] {new SubscriptionRule(false, SubscriptionRule.Target.CHANNEL, "Push"),
                    new SubscriptionRule(true, SubscriptionRule.Target.CHANNEL, "Push")});
        for (Rule[] pair : pairs) {
            assertThat(Evaluator.evaluate(pair[0], user, context))
                    .as(RuleLabel.of(pair[0]))
                    .isEqualTo(!Evaluator.evaluate(pair[1], user, context))
                    .isEqualTo(Evaluator.evaluate(not(pair[1]), user, context));
        }
    }

    @Property(tries = 300)
    void countOfPAndCountOfNotPPartitionThePopulation(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60)
            int size) {
        Random random = new Random(seed);
        Rule p = new RandomRules(random).rule(3);
        EvaluationContext context = context(random);
        RandomUsers users = new RandomUsers(random, NOW);
        List<UserSnapshot> population = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            population.add(users.user());
        }
        long in = population.stream().filter(u -> Evaluator.evaluate(p, u, context)).count();
        long out = population.stream().filter(u -> Evaluator.evaluate(not(p), u, context)).count();
        assertThat(in + out).isEqualTo(size);
    }

    @Property(tries = 1000)
    void deMorganHolds(@ForAll long seed) {
        Random random = new Random(seed);
        RandomRules rules = new RandomRules(random);
        Rule p = rules.rule(2);
        Rule q = rules.rule(2);
        UserSnapshot user = new RandomUsers(random, NOW).user();
        EvaluationContext context = context(random);
        assertThat(Evaluator.evaluate(not(and(p, q)), user, context))
                .isEqualTo(Evaluator.evaluate(or(not(p), not(q)), user, context));
    }

    @Property(tries = 1000)
    void orderingComparisonsAreComplementaryOnSingleNumbers(@ForAll @IntRange(min = -3, max = 3) int value,
            @ForAll @IntRange(min = -3, max = 3) int bound) {
        UserSnapshot user = UserSnapshot.ofProfile(java.util.Map.of("n", value));
        EvaluationContext context = new EvaluationContext(NOW, ZoneId.of("UTC"), DIRECTORY);
        for (CompareOp op : List.of(CompareOp.LT, CompareOp.LE, CompareOp.GT, CompareOp.GE)) {
            Rule rule = f("n", new FieldCondition.Compare(op, Rules.val(bound)));
            Rule negated = f("n", new FieldCondition.Compare(op.negate(), Rules.val(bound)));
            assertThat(Evaluator.evaluate(rule, user, context)).isNotEqualTo(Evaluator.evaluate(negated, user, context));
        }
    }
}
