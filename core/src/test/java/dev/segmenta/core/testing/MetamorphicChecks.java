package dev.segmenta.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.text.RulePrinter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Assume;

/**
 * Metamorphic relations as checks on any evaluator that can say who matches ({@link Members}): the in-memory
 * evaluator in core, the SQL compiler in persistence (and any later engine). None restates how {@code not} or
 * {@code !=} is implemented; each compares two runs that must agree.
 */
public final class MetamorphicChecks {
    /** UTC, a DST zone and a half-hour zone. */
    public static final List<ZoneId> ZONES =
            List.of(ZoneOffset.UTC, ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"));
    /** Renamed from (never used by the directory's segments) and to (a name no data has, with a dot and space). */
    public static final String RENAME_FROM = "page view";
    public static final String RENAME_TO = "Renamed.event x";

    private MetamorphicChecks() {}

    /** Who matches {@code rule} in {@code data} after its first {@code changes} changes, by user index. */
    @FunctionalInterface
    public interface Members {
        Set<Integer> of(Rule rule, RandomData.DataSet data, int changes, Instant now, ZoneId zone);
    }

    private static Set<Integer> all(Members members, Rule rule, RandomData.DataSet data, Instant now, ZoneId zone) {
        return members.of(rule, data, data.changes().size(), now, zone);
    }

    /** Old events of every name, outside every window the rule has, change no membership. */
    public static void ancientEventsChangeNothing(Members members, Rule rule, RandomData.DataSet data,
            RandomData.DataSet withAncient, ZoneId zone) {
        Assume.that(Metamorphoses.ignoresAncientEvents(rule));
        assertThat(all(members, rule, withAncient, RandomData.NOW, zone))
                .as("with events at %s: %s", Metamorphoses.ANCIENT, RulePrinter.print(rule))
                .isEqualTo(all(members, rule, data, RandomData.NOW, zone));
    }

    /**
     * Every instant in the data, every date literal in the rule and {@code now} moved by whole days, in UTC where
     * a day is 24 hours, with date strings taken out of the data ({@code dedated}) so nothing stays behind.
     */
    public static void shiftChangesNothing(Members members, Rule rule, RandomData.DataSet dedated,
            RandomData.DataSet shifted, int days) {
        Assume.that(!Metamorphoses.usesAnniversaries(rule));
        Rule moved = Metamorphoses.shifted(rule, days);
        assertThat(all(members, moved, shifted, RandomData.NOW.plus(Duration.ofDays(days)), ZoneOffset.UTC))
                .as("shifted by %d days: %s", days, RulePrinter.print(moved))
                .isEqualTo(all(members, rule, dedated, RandomData.NOW, ZoneOffset.UTC));
    }

    /** Shift, building both data sets here (for evaluators that take any data set). */
    public static void shiftChangesNothing(Members members, Rule rule, RandomData.DataSet data, int days) {
        RandomData.DataSet dedated = Metamorphoses.withoutDateStrings(data);
        shiftChangesNothing(members, rule, dedated, Metamorphoses.shifted(dedated, days), days);
    }

    /** {@link #RENAME_FROM} renamed {@link #RENAME_TO} in the data and the rule: the same users. */
    public static void renameChangesNothing(Members members, Rule rule, RandomData.DataSet data,
            RandomData.DataSet renamed, ZoneId zone) {
        Rule moved = Metamorphoses.renamed(rule, RENAME_FROM, RENAME_TO);
        assertThat(all(members, moved, renamed, RandomData.NOW, zone))
                .as("renamed: %s", RulePrinter.print(moved))
                .isEqualTo(all(members, rule, data, RandomData.NOW, zone));
    }

    public static void renameChangesNothing(Members members, Rule rule, RandomData.DataSet data, ZoneId zone) {
        renameChangesNothing(members, rule, data, Metamorphoses.renamed(data, RENAME_FROM, RENAME_TO), zone);
    }

    /**
     * {@code p in [a, b]} = {@code p = a or p = b}; {@code contains any [a, b]} = {@code contains a or contains b};
     * {@code contains all [a, b]} = {@code contains a and contains b}; for one to five values.
     */
    public static void listFormsAreTheirExpansions(Members members, RandomData.DataSet data, ZoneId zone,
            FieldPath path, List<Value> values) {
        List<Rule> equals = values.stream()
                .map(v -> (Rule) new FieldRule(path, new FieldCondition.Compare(CompareOp.EQ, v)))
                .collect(Collectors.toList());
        List<Rule> contains = values.stream()
                .map(v -> (Rule) new FieldRule(path, new FieldCondition.Contains(false, v)))
                .collect(Collectors.toList());
        List<Rule[]> pairs = new ArrayList<>();
        pairs.add(new Rule[] {new FieldRule(path, new FieldCondition.In(false, values)), or(equals)});
        pairs.add(new Rule[] {new FieldRule(path, new FieldCondition.ContainsSet(FieldCondition.Quantifier.ANY, values)),
            or(contains)});
        pairs.add(new Rule[] {new FieldRule(path, new FieldCondition.ContainsSet(FieldCondition.Quantifier.ALL, values)),
            and(contains)});
        for (Rule[] pair : pairs) {
            assertThat(all(members, pair[0], data, RandomData.NOW, zone))
                    .as("%s vs %s", RulePrinter.print(pair[0]), RulePrinter.print(pair[1]))
                    .isEqualTo(all(members, pair[1], data, RandomData.NOW, zone));
        }
    }

    /** {@code at least N+1 times} selects a subset of {@code at least N times}, and a strict one somewhere. */
    public static void raisingAtLeastNeverAddsMembers(Members members, RandomData.DataSet data, ZoneId zone,
            EventRule rule, int n) {
        EventRule atLeastN = withCount(rule, n);
        EventRule atLeastMore = withCount(rule, n + 1);
        Set<Integer> wide = all(members, atLeastN, data, RandomData.NOW, zone);
        assertThat(wide).as("%s ⊇ %s", RulePrinter.print(atLeastN), RulePrinter.print(atLeastMore))
                .containsAll(all(members, atLeastMore, data, RandomData.NOW, zone));
    }

    private static EventRule withCount(EventRule rule, long n) {
        return new EventRule(rule.eventName(), rule.where(), new Count(Count.Op.AT_LEAST, n), rule.window(),
                rule.aggregate());
    }

    private static Rule or(List<Rule> rules) {
        return rules.size() == 1 ? rules.get(0) : new Or(rules);
    }

    private static Rule and(List<Rule> rules) {
        return rules.size() == 1 ? rules.get(0) : new And(rules);
    }
}
