package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Span;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every limit of {@link RuleLimits}: the rule at the limit parses, one past it is an error naming the limit, with a position. */
class RuleLimitsTest {

    private static String terms(int n) {
        return IntStream.range(0, n).mapToObj(i -> "f" + i + " = " + i).collect(Collectors.joining(" and "));
    }

    private static String list(int n) {
        return IntStream.range(0, n).mapToObj(i -> "\"v" + i + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private static void rejected(String text, String message, String position) {
        assertThatThrownBy(() -> RuleParser.parse(text)).isInstanceOfSatisfying(RuleSyntaxException.class, e -> {
            assertThat(e.reason()).contains(message).contains("limit");
            assertThat(e.position().toString()).isEqualTo(position);
        });
    }

    @Test
    void conditions_atTheLimitParse_onePastIsRejectedAtTheExtraCondition() {
        assertThat(RuleParser.parse(terms(RuleLimits.MAX_CONDITIONS)).rule()).isNotNull();
        String text = terms(RuleLimits.MAX_CONDITIONS + 1);
        int column = text.lastIndexOf("f" + RuleLimits.MAX_CONDITIONS) + 1;
        rejected(text, "more than 200 conditions", "1:" + column);
    }

    @Test
    void conditions_countWhereConditionsToo() {
        String where = IntStream.range(0, RuleLimits.MAX_CONDITIONS).mapToObj(i -> "k" + i + " = 1")
                .collect(Collectors.joining(" and ", "(", ")"));
        rejected("performed \"purchase\" where " + where, "conditions", "1:" + ("performed \"purchase\" where (".length()
                + where.lastIndexOf("k" + (RuleLimits.MAX_CONDITIONS - 1)) ));
    }

    @Test
    void manyOrTermsAreRejectedQuickly() {
        String text = IntStream.range(0, 5_000).mapToObj(i -> "a = " + i).collect(Collectors.joining(" or "));
        long start = System.nanoTime();
        rejected(text, "conditions", "1:" + (text.indexOf("a = 200 ") + 1));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void listValues_perList_andInAll() {
        assertThat(RuleParser.parse("plan in " + list(RuleLimits.MAX_LIST_VALUES)).rule()).isNotNull();
        rejected("plan in " + list(RuleLimits.MAX_LIST_VALUES + 1), "list has more than 1000 values", "1:"
                + ("plan in ".length() + list(RuleLimits.MAX_LIST_VALUES + 1).indexOf("\"v1000\"") + 1));
        String sixLists = IntStream.range(0, 6).mapToObj(i -> "p" + i + " in " + list(1_000)).collect(Collectors.joining(" or "));
        rejected(sixLists, "5000 list values in all", "1:" + (sixLists.indexOf("p5 in") + "p5 in [".length() + 1));
    }

    @Test
    void ruleText_longerThanTheLimit_isRejectedAtTheFirstCharacterPastIt() {
        String text = "name = \"" + "x".repeat(RuleLimits.MAX_TEXT_CHARS) + "\"";
        rejected(text, "longer than 100000 characters", "1:" + (RuleLimits.MAX_TEXT_CHARS + 1));
    }

    @Test
    void nesting_beyondTheLimit_isRejected() {
        String text = "not ".repeat(RuleLimits.MAX_NESTING + 1) + "a = 1";
        rejected(text, "nested more than 100 levels", "1:" + (4 * RuleLimits.MAX_NESTING + 1));
    }

    @Test
    void huge_durations_are_a_syntax_error_at_the_number_not_an_overflow() {
        rejected("signupDate within last 9223372036854775807 days".replace("9223372036854775807", "36501"),
                "longer than the limit of 36500 days", "1:24");
        assertThatThrownBy(() -> RuleParser.parse("signupDate within last 9223372036854775807 days"))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> {
                    assertThat(e.reason()).contains("36500 days (100 years)");
                    assertThat(e.position().toString()).isEqualTo("1:24");
                });
        assertThatThrownBy(() -> RuleParser.parse("signupDate more than 99999999 minutes ago"))
                .isInstanceOf(RuleSyntaxException.class).hasMessageContaining("52560000 minutes");
        assertThat(RuleParser.parse("signupDate within last 1216 months").rule()).isNotNull();
        assertThat(RuleParser.parse("signupDate within next 36500 days").rule()).isNotNull();
    }

    @Test
    void the_longest_span_is_still_an_instant_away_from_now() {
        DateCondition.WithinLast longest = new DateCondition.WithinLast(new Span(Span.Unit.DAY.max(), Span.Unit.DAY));
        assertThat(longest.interval(Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC)).isNotNull();
        assertThatThrownBy(() -> new Span(Long.MAX_VALUE, Span.Unit.DAY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 years");
    }

    @Test
    void ruleJson_withAHugeSpan_isRejectedAsBadJsonNotAnOverflow() {
        FieldRule sample = new FieldRule(new FieldPath(java.util.List.of("signupDate")),
                new DateCondition.WithinLast(new Span(3, Span.Unit.DAY)));
        String written = RuleJson.write(sample).replace("\"amount\":3", "\"amount\":9223372036854775807");
        assertThat(written).contains("9223372036854775807");
        assertThatThrownBy(() -> RuleJson.read(written)).isInstanceOf(RuleJsonException.class).hasMessageContaining("100 years");
    }
}
