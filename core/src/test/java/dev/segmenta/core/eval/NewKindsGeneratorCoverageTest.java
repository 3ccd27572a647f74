package dev.segmenta.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.testing.RandomData;
import dev.segmenta.core.testing.RandomRules;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

/**
 * The generators of the differential tests produce sequences, anniversaries and buckets that split the random
 * users (some match, some do not), so agreement on them means something.
 */
class NewKindsGeneratorCoverageTest {
    private static final List<UserSnapshot> USERS =
            List.copyOf(RandomData.generate(20261129L, 300).snapshots(RandomData.generate(20261129L, 300).changes().size()).values());

    private static double splitting(Arbitrary<Rule> rules) {
        EvaluationContext context = new EvaluationContext(RandomData.NOW, RandomData.NEW_YORK, RandomRules.DIRECTORY);
        List<Rule> sample = rules.sampleStream().limit(150).collect(Collectors.toList());
        long split = sample.stream().filter(rule -> {
            long members = USERS.stream().filter(u -> Evaluator.evaluate(rule, u, context)).count();
            return members > 0 && members < USERS.size();
        }).count();
        return (double) split / sample.size();
    }

    @Test
    void sequencesSplitTheUsers() {
        assertThat(splitting(RandomRules.sequenceRules())).isGreaterThan(0.3);
    }

    @Test
    void bucketsSplitTheUsers() {
        assertThat(splitting(RandomRules.bucketRules())).isGreaterThan(0.5);
    }

    @Test
    void anniversariesSplitTheUsers() {
        Arbitrary<Rule> rules = RandomRules.anniversaries()
                .flatMap(c -> net.jqwik.api.Arbitraries.of("d", "signupDate", "profileUpdatedAt")
                        .map(f -> (Rule) new FieldRule(FieldPath.of(f), c)));
        assertThat(splitting(rules)).isGreaterThan(0.3);
    }
}
