package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segmenta.core.ast.Anniversary;
import dev.segmenta.core.ast.BucketRule;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SequenceRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequences, anniversaries and random buckets in the rule language: each valid text with its tree and its
 * canonical print (which parses back to the same tree), each invalid one with its position and message.
 */
class NewRuleKindsParserTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validRules")
    void parsesToTheTreeAndPrintsCanonically(String text, Rule expected, String canonical) {
        Rule rule = RuleParser.parse(text).rule();
        assertThat(rule).isEqualTo(expected);
        assertThat(RulePrinter.print(rule)).isEqualTo(canonical);
        assertThat(RuleParser.parse(canonical).rule()).isEqualTo(expected);
        assertThat(RuleJson.read(RuleJson.write(rule))).as("JSON round trip").isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidRules")
    void isRejectedWithPositionAndReason(String text, String position, String message) {
        assertThatThrownBy(() -> RuleParser.parse(text))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> {
                    assertThat(e.position().toString()).as("position").isEqualTo(position);
                    assertThat(e.getMessage()).isEqualTo(message + " at " + position);
                });
    }

    @Test
    void tableHasAtLeast60Cases() {
        assertThat(validRules().count() + invalidRules().count()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void sourceMapPointsAtEachStep() {
        ParsedRule parsed = RuleParser.parse("performed \"a\"\n  then not \"b\" within 1 day");
        SequenceRule rule = (SequenceRule) parsed.rule();
        assertThat(parsed.sourceMap().positionOf(rule).toString()).isEqualTo("1:1");
        assertThat(parsed.sourceMap().positionOf(rule.steps().get(1)).toString()).isEqualTo("2:3");
    }

    static SequenceRule.Step step(String name) {
        return SequenceRule.Step.of(name);
    }

    static SequenceRule.Step step(String name, Span within) {
        return new SequenceRule.Step(name, List.of(), false, within);
    }

    static SequenceRule.Step not(String name, Span within) {
        return new SequenceRule.Step(name, List.of(), true, within);
    }

    static SequenceRule seq(Window window, SequenceRule.Step... steps) {
        return new SequenceRule(List.of(steps), window);
    }

    static Span days(long n) {
        return new Span(n, Span.Unit.DAY);
    }

    static FieldRule field(String path, FieldCondition c) {
        return new FieldRule(FieldPath.of(path), c);
    }

    static FieldRule eq(String path, Object v) {
        return field(path, new FieldCondition.Compare(CompareOp.EQ,
                v instanceof String s ? new Value.Text(s) : new Value.Number(new BigDecimal(v.toString()))));
    }

    static Window.During withinLast(Span span) {
        return new Window.During(new DateCondition.WithinLast(span));
    }

    static Arguments ok(String text, Rule rule) {
        return Arguments.of(text, rule, text);
    }

    static Arguments ok(String text, Rule rule, String canonical) {
        return Arguments.of(text, rule, canonical);
    }

    static Stream<Arguments> validRules() {
        Span oneDay = days(1);
        return Stream.of(
                ok("performed \"addToCart\" then \"purchase\" within 1 day",
                        seq(null, step("addToCart"), step("purchase", oneDay))),
                ok("performed \"addToCart\" within last 7 days then not \"purchase\" within 1 day",
                        seq(withinLast(days(7)), step("addToCart"), not("purchase", oneDay))),
                ok("performed \"a\" then \"b\"", seq(null, step("a"), step("b"))),
                ok("performed \"a\" then not \"b\"", seq(null, step("a"), not("b", null))),
                ok("performed \"a\" then \"b\" then \"c\"", seq(null, step("a"), step("b"), step("c"))),
                ok("performed \"a\" then \"b\" within 30 minutes then \"c\" within 2 hours",
                        seq(null, step("a"), step("b", new Span(30, Span.Unit.MINUTE)),
                                step("c", new Span(2, Span.Unit.HOUR)))),
                ok("performed \"a\" then \"b\" then \"c\" then \"d\" then not \"e\" within 3 weeks",
                        seq(null, step("a"), step("b"), step("c"), step("d"), not("e", new Span(3, Span.Unit.WEEK)))),
                ok("performed \"a\" then \"b\" within 1 month", seq(null, step("a"), step("b", new Span(1, Span.Unit.MONTH)))),
                ok("performed \"a\" then \"b\" within 0 minutes", seq(null, step("a"), step("b", new Span(0, Span.Unit.MINUTE)))),
                ok("PERFORMED \"a\" THEN NOT \"b\" WITHIN 2 DAYS", seq(null, step("a"), not("b", days(2))),
                        "performed \"a\" then not \"b\" within 2 days"),
                ok("performed \"a\"   then\n\"b\"  within 1 days", seq(null, step("a"), step("b", oneDay)),
                        "performed \"a\" then \"b\" within 1 day"),
                ok("performed \"a\" ever then \"b\"", seq(new Window.Ever(), step("a"), step("b"))),
                ok("performed \"a\" before 2026-01-01 then \"b\"",
                        seq(new Window.During(new DateCondition.Before(new TimeLiteral.Day(LocalDate.of(2026, 1, 1)))),
                                step("a"), step("b"))),
                ok("performed \"a\" after 2026-01-01 then not \"b\" within 14 days",
                        seq(new Window.During(new DateCondition.After(new TimeLiteral.Day(LocalDate.of(2026, 1, 1)))),
                                step("a"), not("b", days(14)))),
                ok("performed \"a\" between 2026-01-01 and 2026-01-31 then \"b\"",
                        seq(new Window.During(new DateCondition.Between(new TimeLiteral.Day(LocalDate.of(2026, 1, 1)),
                                new TimeLiteral.Day(LocalDate.of(2026, 1, 31)))), step("a"), step("b"))),
                ok("performed \"a\" where item = \"x\" then \"b\"",
                        seq(null, new SequenceRule.Step("a", List.of(eq("item", "x")), false, null), step("b"))),
                ok("performed \"a\" where item = \"x\" within last 7 days then \"b\"",
                        seq(withinLast(days(7)), new SequenceRule.Step("a", List.of(eq("item", "x")), false, null),
                                step("b"))),
                ok("performed \"a\" then \"b\" where amount > 10 within 1 day",
                        seq(null, step("a"), new SequenceRule.Step("b", List.of(field("amount",
                                new FieldCondition.Compare(CompareOp.GT, new Value.Number(BigDecimal.TEN)))), false,
                                oneDay))),
                ok("performed \"a\" then not \"b\" where (x = 1 and y = \"z\") within 1 day",
                        seq(null, step("a"), new SequenceRule.Step("b", List.of(eq("x", 1), eq("y", "z")), true,
                                oneDay))),
                ok("not performed \"a\" then \"b\"", new Not(seq(null, step("a"), step("b")))),
                ok("performed \"a\" then \"b\" and x = 1",
                        new dev.segmenta.core.ast.And(List.of(seq(null, step("a"), step("b")), eq("x", 1)))),
                ok("x = 1 or performed \"a\" then \"b\" within 1 day",
                        new dev.segmenta.core.ast.Or(List.of(eq("x", 1), seq(null, step("a"), step("b", oneDay))))),
                ok("(performed \"a\" then \"b\")", seq(null, step("a"), step("b")), "performed \"a\" then \"b\""),
                ok("performed \"a b\" then \"c \\\"d\\\"\"", seq(null, step("a b"), step("c \"d\""))),
                ok("performed \"a\" then \"a\" within 1 day", seq(null, step("a"), step("a", oneDay))),
                ok("performed \"a\" where `then` = 1 then \"b\"",
                        seq(null, new SequenceRule.Step("a", List.of(eq("then", 1)), false, null), step("b"))),

                ok("birthday anniversary today", field("birthday", new Anniversary(null))),
                ok("birthday anniversary within next 7 days", field("birthday", new Anniversary(days(7)))),
                ok("signupDate anniversary today", field("signupDate", new Anniversary(null))),
                ok("birthday anniversary within next 1 day", field("birthday", new Anniversary(oneDay))),
                ok("birthday anniversary within next 2 weeks",
                        field("birthday", new Anniversary(new Span(2, Span.Unit.WEEK)))),
                ok("birthday anniversary within next 1 month",
                        field("birthday", new Anniversary(new Span(1, Span.Unit.MONTH)))),
                ok("birthday anniversary within next 365 days", field("birthday", new Anniversary(days(365)))),
                ok("BIRTHDAY ANNIVERSARY TODAY", field("BIRTHDAY", new Anniversary(null)), "BIRTHDAY anniversary today"),
                ok("kids.birthday anniversary today", new FieldRule(new FieldPath(List.of("kids", "birthday")),
                        new Anniversary(null))),
                ok("not birthday anniversary today", new Not(field("birthday", new Anniversary(null)))),
                ok("`anniversary` anniversary today", field("anniversary", new Anniversary(null))),
                ok("anniversary = 1", eq("anniversary", 1), "`anniversary` = 1"),
                ok("performed \"a\" where d anniversary today",
                        new dev.segmenta.core.ast.EventRule("a", List.of(field("d", new Anniversary(null))), null, null,
                                null)),

                ok("random bucket < 10", new BucketRule(CompareOp.LT, 10)),
                ok("random bucket <= 10", new BucketRule(CompareOp.LE, 10)),
                ok("random bucket > 10", new BucketRule(CompareOp.GT, 10)),
                ok("random bucket >= 90", new BucketRule(CompareOp.GE, 90)),
                ok("random bucket = 0", new BucketRule(CompareOp.EQ, 0)),
                ok("random bucket != 100", new BucketRule(CompareOp.NE, 100)),
                ok("RANDOM BUCKET < 5", new BucketRule(CompareOp.LT, 5), "random bucket < 5"),
                ok("not random bucket < 10", new Not(new BucketRule(CompareOp.LT, 10))),
                ok("random bucket >= 10 and random bucket < 20", new dev.segmenta.core.ast.And(
                        List.of(new BucketRule(CompareOp.GE, 10), new BucketRule(CompareOp.LT, 20)))),
                ok("random = 3", eq("random", 3), "`random` = 3"),
                ok("random.bucket = 3", new FieldRule(new FieldPath(List.of("random", "bucket")),
                        new FieldCondition.Compare(CompareOp.EQ, new Value.Number(new BigDecimal(3)))),
                        "`random`.`bucket` = 3"),
                ok("random is set", field("random", new FieldCondition.IsSet(false)), "`random` is set"));
    }

    static Stream<Arguments> invalidRules() {
        return Stream.of(
                Arguments.of("performed \"a\" at least 2 times then \"b\"", "1:15",
                        "a sequence step takes no count or aggregate"),
                Arguments.of("performed \"a\" with sum(x) > 1 then \"b\"", "1:15",
                        "a sequence step takes no count or aggregate"),
                Arguments.of("performed \"a\" then not \"b\" then \"c\"", "1:28",
                        "'then not' can only be the last step of a sequence"),
                Arguments.of("performed \"a\" then \"b\" within last 2 days", "1:24",
                        "a step's time is 'within N units' after the previous step; write the window after the first step"),
                Arguments.of("performed \"a\" then \"b\" within next 2 days", "1:24",
                        "a step's time is 'within N units' after the previous step; write the window after the first step"),
                Arguments.of("performed \"a\" then", "1:19", "expected a name in double quotes after 'then'"),
                Arguments.of("performed \"a\" then not", "1:23", "expected a name in double quotes after 'then not'"),
                Arguments.of("performed \"a\" then b", "1:20", "expected a name in double quotes after 'then'"),
                Arguments.of("performed \"a\" then \"b\" within", "1:30",
                        "expected a duration like '30 days' after 'within'"),
                Arguments.of("performed \"a\" then \"b\" within 2 years", "1:33",
                        "expected a time unit (minutes, hours, days, weeks or months) after '2'"),
                Arguments.of("performed \"a\" then \"b\" then \"c\" then \"d\" then \"e\" then \"f\"", "1:51",
                        "a sequence has at most 5 steps"),
                Arguments.of("performed \"a\" then \"b\" within 1 day ever", "1:37", "unexpected 'ever'"),
                Arguments.of("performed \"a\" then \"b\" at least 2 times", "1:24", "unexpected 'at'"),
                Arguments.of("birthday anniversary", "1:21", "expected 'today' or 'within next' after 'anniversary'"),
                Arguments.of("birthday anniversary tomorrow", "1:22",
                        "expected 'today' or 'within next' after 'anniversary'"),
                Arguments.of("birthday anniversary within last 7 days", "1:29",
                        "expected 'next' after 'anniversary within'"),
                Arguments.of("birthday anniversary within next 2 hours", "1:34",
                        "an anniversary is within whole days (1 to 365 days)"),
                Arguments.of("birthday anniversary within next 0 days", "1:34",
                        "an anniversary is within whole days (1 to 365 days)"),
                Arguments.of("birthday anniversary within next 366 days", "1:34",
                        "an anniversary is within whole days (1 to 365 days)"),
                Arguments.of("birthday anniversary within next 13 months", "1:34",
                        "an anniversary is within whole days (1 to 365 days)"),
                Arguments.of("random bucket < 101", "1:17", "a random bucket is a whole number from 0 to 100"),
                Arguments.of("random bucket < -1", "1:17", "expected a whole number after '<'"),
                Arguments.of("random bucket < 1.5", "1:17", "expected a whole number after '<'"),
                Arguments.of("random bucket", "1:14", "expected a comparison (=, !=, <, <=, >, >=) after 'random bucket'"),
                Arguments.of("random bucket in [1, 2]", "1:15",
                        "expected a comparison (=, !=, <, <=, >, >=) after 'random bucket'"),
                Arguments.of("random bucket < \"5\"", "1:17", "expected a number after '<'"));
    }
}
