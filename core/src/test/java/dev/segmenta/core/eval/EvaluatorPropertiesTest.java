package dev.segmenta.core.eval;

import static dev.segmenta.core.eval.Rules.f;
import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.testing.MetamorphicChecks;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Laws of the semantics that can fail: metamorphic relations (a change to the data or the rule that must not
 * change who matches) over random rules and data sets, checked on the in-memory evaluator. The same relations
 * run against the SQL compiler in persistence's {@code SqlMetamorphicTest}.
 */
class EvaluatorPropertiesTest {
    static final Instant NOW = RandomData.NOW;
    private static final int USERS = 25;

    /** Members of {@code rule} (user indexes) after the first {@code changes} changes of {@code data}. */
    static Set<Integer> members(Rule rule, RandomData.DataSet data, int changes, Instant now, ZoneId zone) {
        EvaluationContext context = new EvaluationContext(now, zone, RandomRules.DIRECTORY);
        Set<Integer> out = new TreeSet<>();
        data.snapshots(changes).forEach((i, user) -> {
            if (Evaluator.evaluate(rule, user, context)) {
                out.add(i);
            }
        });
        return out;
    }

    private static final MetamorphicChecks.Members EVALUATOR = EvaluatorPropertiesTest::members;

    @Provide
    Arbitrary<Rule> rules() {
        return RandomRules.rules(3);
    }

    @Provide
    Arbitrary<RandomData.DataSet> data() {
        return RandomData.dataSets(USERS);
    }

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(MetamorphicChecks.ZONES);
    }

    @Property(tries = 200)
    void anEventOutsideEveryWindowChangesNoMembership(@ForAll("rules") Rule rule,
            @ForAll("data") RandomData.DataSet data, @ForAll("zones") ZoneId zone) {
        MetamorphicChecks.ancientEventsChangeNothing(EVALUATOR, rule, data,
                dev.segmenta.core.testing.Metamorphoses.withAncientEvents(data), zone);
    }

    @Property(tries = 200)
    void shiftingEveryTimeAndNowByWholeDaysChangesNothing(@ForAll("rules") Rule rule,
            @ForAll("data") RandomData.DataSet data, @ForAll @IntRange(min = -400, max = 400) int days) {
        MetamorphicChecks.shiftChangesNothing(EVALUATOR, rule, data, days);
    }

    @Property(tries = 200)
    void renamingAnEventInDataAndRuleChangesNothing(@ForAll("rules") Rule rule,
            @ForAll("data") RandomData.DataSet data, @ForAll("zones") ZoneId zone) {
        MetamorphicChecks.renameChangesNothing(EVALUATOR, rule, data, zone);
    }

    @Property(tries = 200)
    void inAndContainsAnyAllAreTheirOrAndOfSingleComparisons(@ForAll("data") RandomData.DataSet data,
            @ForAll("zones") ZoneId zone, @ForAll(supplier = RandomRules.UserPaths.class) FieldPath path, @ForAll(supplier = RandomRules.ValueLists.class) List<Value> values) {
        MetamorphicChecks.listFormsAreTheirExpansions(EVALUATOR, data, zone, path, values);
    }




    @Property(tries = 200)
    void raisingAtLeastNeverAddsMembers(@ForAll("data") RandomData.DataSet data, @ForAll("zones") ZoneId zone,
            @ForAll(supplier = RandomRules.EventRules.class) EventRule rule, @ForAll @IntRange(min = 0, max = 6) int n) {
        MetamorphicChecks.raisingAtLeastNeverAddsMembers(EVALUATOR, data, zone, rule, n);
    }

    @Property(tries = 300)
    void explanationRootIsTheEvaluatorResult(@ForAll("rules") Rule p, @ForAll("data") RandomData.DataSet data,
            @ForAll("zones") ZoneId zone) {
        EvaluationContext context = new EvaluationContext(NOW, zone, RandomRules.DIRECTORY);
        for (UserSnapshot user : data.snapshots(data.changes().size()).values()) {
            Explanation explanation = Explainer.explain(p, user, context);
            assertThat(explanation.result()).as(RuleLabel.of(p)).isEqualTo(Evaluator.evaluate(p, user, context));
            assertThat(explanation.nearestMiss() == null).isEqualTo(explanation.result());
            assertEveryFalseNodeHasAMiss(explanation);
        }
    }

    private static void assertEveryFalseNodeHasAMiss(Explanation node) {
        assertThat(node.nearestMiss() == null).as(node.label()).isEqualTo(node.result());
        if (!node.result()) {
            assertThat(node.nearestMiss().distance()).isBetween(0.0, 1.0);
            assertThat(node.nearestMiss().reason()).isNotBlank();
        }
        node.children().forEach(EvaluatorPropertiesTest::assertEveryFalseNodeHasAMiss);
    }

    @Property(tries = 1000)
    void orderingComparisonsAreComplementaryOnSingleNumbers(@ForAll @IntRange(min = -3, max = 3) int value,
            @ForAll @IntRange(min = -3, max = 3) int bound) {
        UserSnapshot user = UserSnapshot.ofProfile(Map.of("n", value));
        EvaluationContext context = new EvaluationContext(NOW, ZoneId.of("UTC"), RandomRules.DIRECTORY);
        for (CompareOp op : List.of(CompareOp.LT, CompareOp.LE, CompareOp.GT, CompareOp.GE)) {
            Rule rule = f("n", new FieldCondition.Compare(op, Rules.val(bound)));
            Rule negated = f("n", new FieldCondition.Compare(op.negate(), Rules.val(bound)));
            assertThat(Evaluator.evaluate(rule, user, context)).isNotEqualTo(Evaluator.evaluate(negated, user, context));
        }
    }
}
