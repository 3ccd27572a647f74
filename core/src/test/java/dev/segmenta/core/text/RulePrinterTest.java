package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segmenta.core.ast.Aggregate;
import dev.segmenta.core.ast.And;
import dev.segmenta.core.ast.CompareOp;
import dev.segmenta.core.ast.Count;
import dev.segmenta.core.ast.DateCondition;
import dev.segmenta.core.ast.EventRule;
import dev.segmenta.core.ast.FieldCondition;
import dev.segmenta.core.ast.FieldPath;
import dev.segmenta.core.ast.FieldRule;
import dev.segmenta.core.ast.ListRule;
import dev.segmenta.core.ast.Not;
import dev.segmenta.core.ast.Or;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical text for trees whose printing needs care: grouping, quoting, numbers, plurals, date-times. */
class RulePrinterTest {
    private static final Rule A = field("a", 1);
    private static final Rule B = field("b", 2);
    private static final Rule C = field("c", 3);

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void printsCanonicalText(Rule rule, String expected) {
        assertThat(RulePrinter.print(rule)).isEqualTo(expected);
        assertThat(RuleParser.parse(expected).rule()).isEqualTo(rule);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new And(List.of(A, new And(List.of(B, C)))), "a = 1 and (b = 2 and c = 3)"),
                Arguments.of(new And(List.of(A, B, C)), "a = 1 and b = 2 and c = 3"),
                Arguments.of(new Or(List.of(new Or(List.of(A, B)), C)), "(a = 1 or b = 2) or c = 3"),
                Arguments.of(new And(List.of(new Or(List.of(A, B)), C)), "(a = 1 or b = 2) and c = 3"),
                Arguments.of(new Or(List.of(new And(List.of(A, B)), C)), "a = 1 and b = 2 or c = 3"),
                Arguments.of(new Not(new And(List.of(A, B))), "not (a = 1 and b = 2)"),
                Arguments.of(new Not(new Or(List.of(A, B))), "not (a = 1 or b = 2)"),
                Arguments.of(new Not(new Not(A)), "not not a = 1"),
                Arguments.of(new And(List.of(new Not(A), B)), "not a = 1 and b = 2"),
                Arguments.of(new FieldRule(FieldPath.of("my field", "x"), new FieldCondition.IsSet(false)),
                        "`my field`.x is set"),
                Arguments.of(new FieldRule(FieldPath.of("first"), new FieldCondition.IsSet(false)), "`first` is set"),
                Arguments.of(new FieldRule(FieldPath.of("user", "Last"), new FieldCondition.IsSet(false)),
                        "user.`Last` is set"),
                Arguments.of(new FieldRule(FieldPath.of("tick`s"), new FieldCondition.IsSet(false)), "`tick``s` is set"),
                Arguments.of(new FieldRule(FieldPath.of("2fa"), new FieldCondition.IsSet(false)), "`2fa` is set"),
                Arguments.of(new FieldRule(FieldPath.of("q"), compare(new Value.Text("say \"hi\" \\o/"))),
                        "q = \"say \\\"hi\\\" \\\\o/\""),
                Arguments.of(new FieldRule(FieldPath.of("n"), compare(new Value.Number(new BigDecimal("1E+3")))),
                        "n = 1000"),
                Arguments.of(new FieldRule(FieldPath.of("n"), compare(new Value.Number(new BigDecimal("0.0000001")))),
                        "n = 0.0000001"),
                Arguments.of(new FieldRule(FieldPath.of("n"), compare(new Value.Number(new BigDecimal("-2.50")))),
                        "n = -2.50"),
                Arguments.of(new FieldRule(FieldPath.of("t"), new DateCondition.After(
                                new TimeLiteral.Moment(OffsetDateTime.parse("2026-01-31T10:00:00+02:00")))),
                        "t after 2026-01-31T10:00+02:00"),
                Arguments.of(new FieldRule(FieldPath.of("t"), new DateCondition.After(
                                new TimeLiteral.Moment(OffsetDateTime.parse("2026-01-31T10:00:07.250-03:30")))),
                        "t after 2026-01-31T10:00:07.250-03:30"),
                Arguments.of(new FieldRule(FieldPath.of("t"), new DateCondition.WithinLast(new Span(1, Span.Unit.WEEK))),
                        "t within last 1 week"),
                Arguments.of(new FieldRule(FieldPath.of("t"), new DateCondition.MoreThanAgo(new Span(0, Span.Unit.HOUR))),
                        "t more than 0 hours ago"),
                Arguments.of(new EventRule("x", List.of(), new Count(Count.Op.EXACTLY, 1), null, null),
                        "performed \"x\" exactly 1 time"),
                Arguments.of(new EventRule("x", List.of((FieldRule) A, (FieldRule) B), new Count(Count.Op.AT_MOST, 0),
                                null, new Aggregate(Aggregate.Function.AVG, FieldPath.of("v"), CompareOp.LT,
                                        new BigDecimal("2.5"))),
                        "performed \"x\" where (a = 1 and b = 2) at most 0 times with avg(v) < 2.5"),
                Arguments.of(new ListRule("Say \"yes\""), "in list \"Say \\\"yes\\\"\""));
    }

    private static FieldCondition compare(Value value) {
        return new FieldCondition.Compare(CompareOp.EQ, value);
    }

    private static Rule field(String name, long value) {
        return new FieldRule(FieldPath.of(name), new FieldCondition.Compare(CompareOp.EQ, Value.Number.of(value)));
    }
}
