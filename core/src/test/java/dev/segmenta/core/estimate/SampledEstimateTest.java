package dev.segmenta.core.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.columnar.ColumnarIndex;
import dev.segmenta.core.eval.EvaluationContext;
import dev.segmenta.core.eval.Evaluator;
import dev.segmenta.core.eval.RandomBuckets;
import dev.segmenta.core.eval.UserSnapshot;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;

/**
 * A preview estimated from a stable sample held by the columnar engine: over many random rules on a random population,
 * each with its own sample (another salt), the exact count lies inside the stated 95 % interval at least about 95 % of
 * the time, and the interval is not uselessly wide. Rules matching nobody or everybody are left out of the rate: they
 * are covered trivially.
 */
class SampledEstimateTest {
    private static final int USERS = 3000;
    private static final double RATE = 0.10;

    @Example
    void exactCountLiesInTheStatedInterval_atTheStatedRate() {
        RandomData.DataSet data = RandomData.generate(20261129L, USERS);
        Map<Integer, UserSnapshot> users = data.snapshots(data.changes().size());
        long population = users.size();
        EvaluationContext context = new EvaluationContext(RandomData.NOW, ZoneOffset.UTC, RandomRules.DIRECTORY);
        Arbitrary<Rule> rules = RandomRules.rules(2);
        Random random = new Random(7);
        int trials = 0;
        int covered = 0;
        double widthShare = 0;
        for (int attempt = 0; attempt < 1500 && trials < 200; attempt++) {
            Rule rule = rules.generator(1000).next(random).value();
            long exact = users.values().stream().filter(u -> Evaluator.evaluate(rule, u, context)).count();
            if (exact < population * 0.05 || exact > population * 0.95) {
                continue;
            }
            UserSample sample = new UserSample("sample-" + attempt, RATE);
            ColumnarIndex sampled = new ColumnarIndex();
            Map<Long, UserSnapshot> kept = new HashMap<>();
            users.forEach((i, u) -> {
                if (sample.contains(RandomBuckets.identity(u.profile().get("userId"), u.profile().get("email")))) {
                    kept.put((long) i, u);
                }
            });
            sampled.putAll(kept);
            long matched = sampled.evaluate(rule, context).getLongCardinality();
            Estimate estimate = Estimate.of(matched, kept.size(), population, 0.95);
            trials++;
            if (estimate.covers(exact)) {
                covered++;
            }
            widthShare += (estimate.high() - estimate.low()) / (double) population;
        }
        assertThat(trials).as("non-trivial rules tried").isGreaterThanOrEqualTo(100);
        double rate = covered / (double) trials;
        // 95 % stated; three binomial standard deviations of slack for the number of trials.
        assertThat(rate).as(covered + " of " + trials + " covered").isGreaterThanOrEqualTo(0.95 - 3 * Math.sqrt(0.95 * 0.05 / trials));
        // About 300 sampled users: a 95 % interval of a proportion is some ±5 %, so its width about 10 % of the users.
        assertThat(widthShare / trials).as("mean width as a share of the users").isLessThan(0.15);
    }

    @Example
    void theWholePopulation_isExact_andAnEmptySample_saysNothing() {
        assertThat(Estimate.of(42, 1000, 1000, 0.95)).isEqualTo(new Estimate(42, 42, 42, 0.95, 1000, 1000));
        Estimate none = Estimate.of(0, 0, 500, 0.95);
        assertThat(none.low()).isZero();
        assertThat(none.high()).isEqualTo(500);
        Estimate zero = Estimate.of(0, 1000, 100_000, 0.95);
        assertThat(zero.count()).isZero();
        assertThat(zero.high()).as("no match in the sample still allows a few").isBetween(1L, 500L);
    }

    @Example
    void sampleIsStableAndNearItsRate() {
        UserSample sample = new UserSample("s", 0.01);
        int in = 0;
        for (int i = 0; i < 100_000; i++) {
            if (sample.contains("u" + i)) {
                in++;
                assertThat(sample.contains("u" + i)).isTrue();
            }
        }
        assertThat(in).isBetween(850, 1150);
    }
}
