package dev.segmenta.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.segmenta.core.ast.RecencyRule;
import dev.segmenta.core.ast.Rule;
import dev.segmenta.core.ast.SegmentRule;
import dev.segmenta.core.ast.Span;
import dev.segmenta.core.ast.SubscriptionRule;
import dev.segmenta.core.ast.TimeLiteral;
import dev.segmenta.core.ast.Value;
import dev.segmenta.core.ast.Window;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The parser against a table of rule texts: each valid one with its tree, each invalid one with its error. */
class RuleParserTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validRules")
    void validTextParsesToTheExpectedTree(String text, Rule expected) {
        assertThat(RuleParser.parse(text).rule()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validRules")
    void validTextSurvivesPrintingAndParsingAgain(String text, Rule expected) {
        assertThat(RuleParser.parse(RulePrinter.print(expected)).rule()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidRules")
    void invalidTextIsRejectedWithPositionAndReason(String text, String position, String message) {
        assertThatThrownBy(() -> RuleParser.parse(text))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> {
                    assertThat(e.position().toString()).as("position").isEqualTo(position);
                    assertThat(e.getMessage()).contains(message).endsWith(" at " + position).doesNotContain("\n");
                });
    }

    @Test
    void tableHasAtLeast150Cases() {
        assertThat(validRules().count() + invalidRules().count()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void sourceMapRecordsWhereEachNodeStarts() {
        ParsedRule parsed = RuleParser.parse("state = \"CA\"\n  and not performed \"purchase\" at least 2 times");
        And and = (And) parsed.rule();
        FieldRule state = (FieldRule) and.rules().get(0);
        Not not = (Not) and.rules().get(1);
        EventRule event = (EventRule) not.rule();
        SourceMap map = parsed.sourceMap();

        assertThat(map.positionOf(and)).hasToString("1:1");
        assertThat(map.positionOf(state.field())).hasToString("1:1");
        assertThat(map.positionOf(state.condition())).hasToString("1:7");
        assertThat(map.positionOf(((FieldCondition.Compare) state.condition()).value())).hasToString("1:9");
        assertThat(map.positionOf(not)).hasToString("2:7");
        assertThat(map.positionOf(event)).hasToString("2:11");
        assertThat(map.positionOf(event.count())).hasToString("2:32");
    }

    @Test
    void syntaxErrorReasonIsTheMessageWithoutPosition() {
        assertThatThrownBy(() -> RuleParser.parse("performed \"purchase\" at least three times"))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("expected a number after 'at least' at 1:31");
                    assertThat(e.reason()).isEqualTo("expected a number after 'at least'");
                    assertThat(e.position()).isEqualTo(new Position(1, 31));
                });
    }

    @Test
    void deeplyNestedInputIsRejectedInsteadOfOverflowingTheStack() {
        String deep = "(".repeat(10_000) + "a = 1" + ")".repeat(10_000);

        assertThatThrownBy(() -> RuleParser.parse(deep))
                .isInstanceOf(RuleSyntaxException.class)
                .hasMessageContaining("nested more than");
    }

    static Stream<Arguments> validRules() {
        return Stream.of(
                // comparisons and values
                valid("state = \"CA\"", f("state", eq(s("CA")))),
                valid("state != \"CA\"", f("state", new FieldCondition.Compare(CompareOp.NE, s("CA")))),
                valid("age < 18", f("age", cmp(CompareOp.LT, "18"))),
                valid("age <= 18", f("age", cmp(CompareOp.LE, "18"))),
                valid("age > 18", f("age", cmp(CompareOp.GT, "18"))),
                valid("age >= 18", f("age", cmp(CompareOp.GE, "18"))),
                valid("age>=18", f("age", cmp(CompareOp.GE, "18"))),
                valid("score = -3", f("score", eq(n("-3")))),
                valid("score = 2.50", f("score", eq(n("2.50")))),
                valid("score = -0.5", f("score", eq(n("-0.5")))),
                valid("score < -10.25", f("score", cmp(CompareOp.LT, "-10.25"))),
                valid("score != 007", f("score", new FieldCondition.Compare(CompareOp.NE, n("7")))),
                valid("vip = true", f("vip", eq(new Value.Bool(true)))),
                valid("vip = FALSE", f("vip", eq(new Value.Bool(false)))),
                valid("birthday = 1990-05-17", f("birthday", eq(d("1990-05-17")))),
                valid("seen = 2026-01-31T10:00Z", f("seen", eq(dt("2026-01-31T10:00Z")))),
                valid("seen = 2026-01-31T10:00:05+02:00", f("seen", eq(dt("2026-01-31T10:00:05+02:00")))),
                valid("seen = 2026-01-31T10:00:05.123-05:30", f("seen", eq(dt("2026-01-31T10:00:05.123-05:30")))),
                valid("seen = 2024-02-29", f("seen", eq(d("2024-02-29")))),
                valid("name = \"\"", f("name", eq(s("")))),
                valid("name = \"say \\\"hi\\\"\"", f("name", eq(s("say \"hi\"")))),
                valid("path = \"C:\\\\temp\"", f("path", eq(s("C:\\temp")))),
                valid("name = \"two\nlines\"", f("name", eq(s("two\nlines")))),
                valid("name = \"and or not\"", f("name", eq(s("and or not")))),
                valid("name = \"naïve 日本\"", f("name", eq(s("naïve 日本")))),
                // between
                valid("age between 18 and 30", f("age", new FieldCondition.Between(n("18"), n("30")))),
                valid("age between -1.5 and 2", f("age", new FieldCondition.Between(n("-1.5"), n("2")))),
                valid("code between \"a\" and \"m\"", f("code", new FieldCondition.Between(s("a"), s("m")))),
                valid("signupDate between 2026-01-01 and 2026-01-31",
                        f("signupDate", new DateCondition.Between(day("2026-01-01"), day("2026-01-31")))),
                valid("signupDate between 2026-01-01T00:00Z and 2026-01-31",
                        f("signupDate", new DateCondition.Between(moment("2026-01-01T00:00Z"), day("2026-01-31")))),
                valid("x between 2026-01-01 and 5", f("x", new FieldCondition.Between(d("2026-01-01"), n("5")))),
                valid("age between 18 and 30 and vip is true",
                        and(f("age", new FieldCondition.Between(n("18"), n("30"))),
                                f("vip", new FieldCondition.IsBool(true)))),
                // in / contains / affixes / set
                valid("plan in [\"pro\", \"team\"]", f("plan", in(false, s("pro"), s("team")))),
                valid("plan in [\"pro\"]", f("plan", in(false, s("pro")))),
                valid("plan not in [\"free\",\"trial\"]", f("plan", in(true, s("free"), s("trial")))),
                valid("n in [1, 2.5, -3]", f("n", in(false, n("1"), n("2.5"), n("-3")))),
                valid("x in [\"a\", 1, true, 2026-01-01]", f("x", in(false, s("a"), n("1"), new Value.Bool(true),
                        d("2026-01-01")))),
                valid("tags contains \"vip\"", f("tags", new FieldCondition.Contains(false, s("vip")))),
                valid("tags not contains \"vip\"", f("tags", new FieldCondition.Contains(true, s("vip")))),
                valid("codes contains 7", f("codes", new FieldCondition.Contains(false, n("7")))),
                valid("tags contains \"any\"", f("tags", new FieldCondition.Contains(false, s("any")))),
                valid("tags contains any [\"a\", \"b\"]",
                        f("tags", new FieldCondition.ContainsSet(FieldCondition.Quantifier.ANY, List.of(s("a"), s("b"))))),
                valid("tags contains all [\"a\"]",
                        f("tags", new FieldCondition.ContainsSet(FieldCondition.Quantifier.ALL, List.of(s("a"))))),
                valid("tags CONTAINS ALL [1, 2]",
                        f("tags", new FieldCondition.ContainsSet(FieldCondition.Quantifier.ALL,
                                List.of(n("1"), n("2"))))),
                valid("email ends with \"@acme.com\"",
                        f("email", new FieldCondition.Affix(FieldCondition.AffixKind.ENDS_WITH, "@acme.com"))),
                valid("name starts with \"Jo\"",
                        f("name", new FieldCondition.Affix(FieldCondition.AffixKind.STARTS_WITH, "Jo"))),
                valid("phone is set", f("phone", new FieldCondition.IsSet(false))),
                valid("phone is not set", f("phone", new FieldCondition.IsSet(true))),
                valid("phone IS NOT SET", f("phone", new FieldCondition.IsSet(true))),
                valid("vip is true", f("vip", new FieldCondition.IsBool(true))),
                valid("vip is false", f("vip", new FieldCondition.IsBool(false))),
                // date operators on fields
                valid("signupDate before 2026-01-01", f("signupDate", new DateCondition.Before(day("2026-01-01")))),
                valid("signupDate after 2026-01-01T12:30Z",
                        f("signupDate", new DateCondition.After(moment("2026-01-01T12:30Z")))),
                valid("signupDate on 2026-03-08", f("signupDate", new DateCondition.On(
                        (TimeLiteral.Day) day("2026-03-08")))),
                valid("signupDate within last 30 days", f("signupDate", new DateCondition.WithinLast(span(30, Span.Unit.DAY)))),
                valid("signupDate within last 1 day", f("signupDate", new DateCondition.WithinLast(span(1, Span.Unit.DAY)))),
                valid("signupDate within last 1 days", f("signupDate", new DateCondition.WithinLast(span(1, Span.Unit.DAY)))),
                valid("signupDate within last 2 day", f("signupDate", new DateCondition.WithinLast(span(2, Span.Unit.DAY)))),
                valid("signupDate within last 15 minutes",
                        f("signupDate", new DateCondition.WithinLast(span(15, Span.Unit.MINUTE)))),
                valid("signupDate within last 1 minute",
                        f("signupDate", new DateCondition.WithinLast(span(1, Span.Unit.MINUTE)))),
                valid("signupDate within last 6 hours", f("signupDate", new DateCondition.WithinLast(span(6, Span.Unit.HOUR)))),
                valid("signupDate within last 2 weeks", f("signupDate", new DateCondition.WithinLast(span(2, Span.Unit.WEEK)))),
                valid("signupDate within last 3 months", f("signupDate", new DateCondition.WithinLast(span(3, Span.Unit.MONTH)))),
                valid("signupDate within last 0 days", f("signupDate", new DateCondition.WithinLast(span(0, Span.Unit.DAY)))),
                valid("renewal within next 7 days", f("renewal", new DateCondition.WithinNext(span(7, Span.Unit.DAY)))),
                valid("lastSeen more than 30 days ago",
                        f("lastSeen", new DateCondition.MoreThanAgo(span(30, Span.Unit.DAY)))),
                valid("lastSeen MORE THAN 1 Month AGO",
                        f("lastSeen", new DateCondition.MoreThanAgo(span(1, Span.Unit.MONTH)))),
                // field paths
                valid("address.city = \"Paris\"", f("address.city", eq(s("Paris")))),
                valid("items.name = \"boots\"", f("items.name", eq(s("boots")))),
                valid("a.b.c.d is set", f("a.b.c.d", new FieldCondition.IsSet(false))),
                valid("_private = 1", f("_private", eq(n("1")))),
                valid("`my field`.x = 1", rule(path("my field", "x"), eq(n("1")))),
                valid("`first` = \"Ann\"", rule(path("first"), eq(s("Ann")))),
                valid("`and`.`or` is set", rule(path("and", "or"), new FieldCondition.IsSet(false))),
                valid("`a.b` = 1", rule(path("a.b"), eq(n("1")))),
                valid("`tick``s` = 1", rule(path("tick`s"), eq(n("1")))),
                valid("user.first = \"Ann\"", rule(path("user", "first"), eq(s("Ann")))),
                valid("time = 3", f("time", eq(n("3")))),
                valid("where = 3", f("where", eq(n("3")))),
                valid("`1st` = 3", rule(path("1st"), eq(n("3")))),
                valid("a . b = 3", f("a.b", eq(n("3")))),
                valid("camelCase = 1", f("camelCase", eq(n("1")))),
                // boolean structure and precedence
                valid("a = 1 and b = 2", and(f("a", eq(n("1"))), f("b", eq(n("2"))))),
                valid("a = 1 and b = 2 and c = 3", and(f("a", eq(n("1"))), f("b", eq(n("2"))), f("c", eq(n("3"))))),
                valid("a = 1 or b = 2", or(f("a", eq(n("1"))), f("b", eq(n("2"))))),
                valid("a = 1 or b = 2 and c = 3",
                        or(f("a", eq(n("1"))), and(f("b", eq(n("2"))), f("c", eq(n("3")))))),
                valid("a = 1 and b = 2 or c = 3",
                        or(and(f("a", eq(n("1"))), f("b", eq(n("2")))), f("c", eq(n("3"))))),
                valid("(a = 1 or b = 2) and c = 3",
                        and(or(f("a", eq(n("1"))), f("b", eq(n("2")))), f("c", eq(n("3"))))),
                valid("a = 1 and (b = 2 and c = 3)",
                        and(f("a", eq(n("1"))), and(f("b", eq(n("2"))), f("c", eq(n("3")))))),
                valid("(a = 1 and b = 2) and c = 3",
                        and(and(f("a", eq(n("1"))), f("b", eq(n("2")))), f("c", eq(n("3"))))),
                valid("a = 1 or (b = 2 or c = 3)",
                        or(f("a", eq(n("1"))), or(f("b", eq(n("2"))), f("c", eq(n("3")))))),
                valid("((a = 1))", f("a", eq(n("1")))),
                valid("not a = 1", new Not(f("a", eq(n("1"))))),
                valid("not not a = 1", new Not(new Not(f("a", eq(n("1")))))),
                valid("not a = 1 and b = 2", and(new Not(f("a", eq(n("1")))), f("b", eq(n("2"))))),
                valid("not (a = 1 and b = 2)", new Not(and(f("a", eq(n("1"))), f("b", eq(n("2")))))),
                valid("not (a = 1 or b = 2) or c = 3",
                        or(new Not(or(f("a", eq(n("1"))), f("b", eq(n("2"))))), f("c", eq(n("3"))))),
                valid("a = 1 AND b = 2 Or c = 3",
                        or(and(f("a", eq(n("1"))), f("b", eq(n("2")))), f("c", eq(n("3"))))),
                valid("NOT a = 1", new Not(f("a", eq(n("1"))))),
                valid("  a = 1\n\tand\n b = 2  ", and(f("a", eq(n("1"))), f("b", eq(n("2"))))),
                // events
                valid("performed \"purchase\"", EventRule.performed("purchase")),
                valid("PERFORMED \"purchase\"", EventRule.performed("purchase")),
                valid("performed \"Purchase Completed\"", EventRule.performed("Purchase Completed")),
                valid("not performed \"purchase\"", new Not(EventRule.performed("purchase"))),
                valid("performed \"purchase\" where item = \"jacket\"",
                        event("purchase", List.of(f("item", eq(s("jacket")))), null, null, null)),
                valid("performed \"purchase\" where (item = \"jacket\" and price > 100)",
                        event("purchase", List.of(f("item", eq(s("jacket"))), f("price", cmp(CompareOp.GT, "100"))),
                                null, null, null)),
                valid("performed \"purchase\" where (item = \"jacket\")",
                        event("purchase", List.of(f("item", eq(s("jacket")))), null, null, null)),
                valid("performed \"purchase\" where item = \"jacket\" and b = 2",
                        and(event("purchase", List.of(f("item", eq(s("jacket")))), null, null, null),
                                f("b", eq(n("2"))))),
                valid("performed \"purchase\" at least 3 times",
                        event("purchase", List.of(), new Count(Count.Op.AT_LEAST, 3), null, null)),
                valid("performed \"purchase\" at most 1 time",
                        event("purchase", List.of(), new Count(Count.Op.AT_MOST, 1), null, null)),
                valid("performed \"purchase\" exactly 2 times",
                        event("purchase", List.of(), new Count(Count.Op.EXACTLY, 2), null, null)),
                valid("performed \"purchase\" exactly 0 times",
                        event("purchase", List.of(), new Count(Count.Op.EXACTLY, 0), null, null)),
                valid("performed \"purchase\" at least 2 time",
                        event("purchase", List.of(), new Count(Count.Op.AT_LEAST, 2), null, null)),
                valid("performed \"purchase\" within last 90 days",
                        event("purchase", List.of(), null, during(new DateCondition.WithinLast(span(90, Span.Unit.DAY))),
                                null)),
                valid("performed \"purchase\" before 2026-01-01",
                        event("purchase", List.of(), null, during(new DateCondition.Before(day("2026-01-01"))), null)),
                valid("performed \"purchase\" after 2026-01-01T08:00+01:00",
                        event("purchase", List.of(), null, during(new DateCondition.After(moment("2026-01-01T08:00+01:00"))),
                                null)),
                valid("performed \"purchase\" between 2026-01-01 and 2026-02-01",
                        event("purchase", List.of(), null,
                                during(new DateCondition.Between(day("2026-01-01"), day("2026-02-01"))), null)),
                valid("performed \"purchase\" ever", event("purchase", List.of(), null, new Window.Ever(), null)),
                valid("performed \"purchase\" with sum(amount) >= 500",
                        event("purchase", List.of(), null, null, agg(Aggregate.Function.SUM, "amount", CompareOp.GE, "500"))),
                valid("performed \"purchase\" with avg(amount) < 20.5",
                        event("purchase", List.of(), null, null, agg(Aggregate.Function.AVG, "amount", CompareOp.LT, "20.5"))),
                valid("performed \"purchase\" with MIN(price.net) != -1",
                        event("purchase", List.of(), null, null,
                                agg(Aggregate.Function.MIN, "price.net", CompareOp.NE, "-1"))),
                valid("performed \"purchase\" with max(`the amount`) = 0",
                        event("purchase", List.of(), null, null,
                                new Aggregate(Aggregate.Function.MAX, path("the amount"), CompareOp.EQ, BigDecimal.ZERO))),
                valid("performed \"purchase\" where item = \"boots\" at least 2 times within last 30 days with sum(amount) > 100",
                        event("purchase", List.of(f("item", eq(s("boots")))), new Count(Count.Op.AT_LEAST, 2),
                                during(new DateCondition.WithinLast(span(30, Span.Unit.DAY))),
                                agg(Aggregate.Function.SUM, "amount", CompareOp.GT, "100"))),
                valid("performed \"x\" where d within last 3 days within last 5 days",
                        event("x", List.of(f("d", new DateCondition.WithinLast(span(3, Span.Unit.DAY)))), null,
                                during(new DateCondition.WithinLast(span(5, Span.Unit.DAY))), null)),
                valid("performed \"x\" where (a between 1 and 2 and b is set)",
                        event("x", List.of(f("a", new FieldCondition.Between(n("1"), n("2"))),
                                f("b", new FieldCondition.IsSet(false))), null, null, null)),
                valid("performed \"\"", EventRule.performed("")),
                valid("not performed \"emailOpen\" within last 30 days",
                        new Not(event("emailOpen", List.of(), null,
                                during(new DateCondition.WithinLast(span(30, Span.Unit.DAY))), null))),
                // first / last performed
                valid("last performed \"login\" within last 7 days",
                        new RecencyRule(RecencyRule.Which.LAST, "login", List.of(),
                                new DateCondition.WithinLast(span(7, Span.Unit.DAY)))),
                valid("first performed \"login\" before 2025-06-01",
                        new RecencyRule(RecencyRule.Which.FIRST, "login", List.of(),
                                new DateCondition.Before(day("2025-06-01")))),
                valid("first performed \"login\" on 2025-06-01",
                        new RecencyRule(RecencyRule.Which.FIRST, "login", List.of(),
                                new DateCondition.On((TimeLiteral.Day) day("2025-06-01")))),
                valid("last performed \"login\" more than 30 days ago",
                        new RecencyRule(RecencyRule.Which.LAST, "login", List.of(),
                                new DateCondition.MoreThanAgo(span(30, Span.Unit.DAY)))),
                valid("last performed \"trial_end\" within next 3 days",
                        new RecencyRule(RecencyRule.Which.LAST, "trial_end", List.of(),
                                new DateCondition.WithinNext(span(3, Span.Unit.DAY)))),
                valid("LAST PERFORMED \"login\" where device = \"ios\" after 2026-01-01",
                        new RecencyRule(RecencyRule.Which.LAST, "login", List.of(f("device", eq(s("ios")))),
                                new DateCondition.After(day("2026-01-01")))),
                valid("last performed \"login\" between 2026-01-01 and 2026-01-02T12:00Z",
                        new RecencyRule(RecencyRule.Which.LAST, "login", List.of(),
                                new DateCondition.Between(day("2026-01-01"), moment("2026-01-02T12:00Z")))),
                // lists, segments, subscriptions
                valid("in list \"Beta testers\"", new ListRule("Beta testers")),
                valid("not in list \"Beta testers\"", new Not(new ListRule("Beta testers"))),
                valid("IN LIST \"x\"", new ListRule("x")),
                valid("in segment \"Active users\"", new SegmentRule("Active users")),
                valid("not in segment \"Churned\"", new Not(new SegmentRule("Churned"))),
                valid("subscribed to message type \"Newsletter\"",
                        new SubscriptionRule(true, SubscriptionRule.Target.MESSAGE_TYPE, "Newsletter")),
                valid("subscribed to channel \"Email\"",
                        new SubscriptionRule(true, SubscriptionRule.Target.CHANNEL, "Email")),
                valid("unsubscribed from channel \"SMS\"",
                        new SubscriptionRule(false, SubscriptionRule.Target.CHANNEL, "SMS")),
                valid("unsubscribed from message type \"Promotions\"",
                        new SubscriptionRule(false, SubscriptionRule.Target.MESSAGE_TYPE, "Promotions")),
                valid("not subscribed to channel \"Email\"",
                        new Not(new SubscriptionRule(true, SubscriptionRule.Target.CHANNEL, "Email"))),
                // the DESIGN.md §3 examples
                valid("signupDate within last 30 days and not performed \"purchase\"",
                        and(f("signupDate", new DateCondition.WithinLast(span(30, Span.Unit.DAY))),
                                new Not(EventRule.performed("purchase")))),
                valid("(plan in [\"pro\", \"team\"] or in list \"Beta testers\") and subscribed to message type \"Newsletter\"",
                        and(or(f("plan", in(false, s("pro"), s("team"))), new ListRule("Beta testers")),
                                new SubscriptionRule(true, SubscriptionRule.Target.MESSAGE_TYPE, "Newsletter"))));
    }

    static Stream<Arguments> invalidRules() {
        return Stream.of(
                invalid("", "1:1", "expected a rule"),
                invalid("   ", "1:4", "expected a rule"),
                invalid("and a = 1", "1:1", "unexpected 'and'"),
                invalid("or", "1:1", "unexpected 'or'"),
                invalid("a = 1 and", "1:10", "expected a rule after 'and'"),
                invalid("a = 1 or", "1:9", "expected a rule after 'or'"),
                invalid("a = 1 and and b = 2", "1:11", "unexpected 'and'"),
                invalid("not", "1:4", "expected a rule after 'not'"),
                invalid("a", "1:2", "expected an operator after 'a'"),
                invalid("a.b", "1:4", "expected an operator after 'a.b'"),
                invalid("a.", "1:3", "expected a field name after '.'"),
                invalid("a.1 = 2", "1:3", "expected a field name after '.'"),
                invalid("a == 1", "1:4", "expected a value"),
                invalid("a = ", "1:5", "expected a value (a \"string\", number, date, true or false) after '='"),
                invalid("a = b", "1:5", "expected a value"),
                invalid("a < \"x\"", "1:5", "expected a number after '<'"),
                invalid("a >= true", "1:6", "expected a number after '>='"),
                invalid("a > 2026-01-01", "1:5", "expected a number after '>'"),
                invalid("a ! 1", "1:3", "unexpected character '!'"),
                invalid("a = 1 )", "1:7", "unexpected ')'"),
                invalid("a = 1 b = 2", "1:7", "unexpected 'b'"),
                invalid("(a = 1", "1:7", "expected ')' to close the '(' from 1:1"),
                invalid("(a = 1 and (b = 2)", "1:19", "expected ')' to close the '(' from 1:1"),
                invalid("()", "1:2", "unexpected ')'"),
                invalid("a = \"abc", "1:5", "unterminated string"),
                invalid("a = 1 and\nb = \"abc", "2:5", "unterminated string"),
                invalid("a = \"abc\\", "1:5", "unterminated string"),
                invalid("a = \"a\\nb\"", "1:7", "unknown escape '\\n'"),
                invalid("`abc = 1", "1:1", "unterminated field name"),
                invalid("`` = 1", "1:1", "empty field name"),
                invalid("a = 2026-02-30", "1:5", "invalid date '2026-02-30'"),
                invalid("a = 2026-13-01", "1:5", "invalid date '2026-13-01'"),
                invalid("a = 2025-02-29", "1:5", "invalid date"),
                invalid("a = 2026-1-01", "1:5", "malformed date '2026-1-01'"),
                invalid("a = 2026-01-01T10:00", "1:5", "needs a time zone offset"),
                invalid("a = 2026-01-01T25:00Z", "1:5", "invalid time"),
                invalid("a = 2026-01-01T10:00+19:00", "1:5", "invalid time zone offset"),
                invalid("a = 2026-01-01T10Z", "1:5", "malformed date"),
                invalid("a in \"x\"", "1:6", "expected '[' after 'in'"),
                invalid("a in []", "1:7", "expected a value"),
                invalid("a in [1,]", "1:9", "expected a value (a \"string\", number, date, true or false) after ','"),
                invalid("a in [1 2]", "1:9", "expected ',' or ']'"),
                invalid("a in [1", "1:8", "expected ',' or ']'"),
                invalid("a not = 1", "1:7", "expected 'in' or 'contains' after 'not'"),
                invalid("a not contains any [1]", "1:16", "expected a value"),
                invalid("a contains", "1:11", "expected a value, 'any [...]' or 'all [...]' after 'contains'"),
                invalid("a contains any \"x\"", "1:16", "expected '[' after 'contains any'"),
                invalid("a starts \"x\"", "1:10", "expected 'with' after 'starts'"),
                invalid("a starts with 1", "1:15", "expected a name in double quotes after 'starts with'"),
                invalid("a is", "1:5", "expected 'set', 'not set', 'true' or 'false' after 'is'"),
                invalid("a is not true", "1:10", "expected 'set' after 'is not'"),
                invalid("a between 1", "1:12", "expected 'and' after 'between 1'"),
                invalid("a between 1 or 2", "1:13", "expected 'and' after 'between 1'"),
                invalid("a between 1 and", "1:16", "expected a value"),
                invalid("a before 5", "1:10", "expected a date"),
                invalid("a on 2026-01-01T10:00Z", "1:6", "'on' takes a date without a time"),
                invalid("a within 3 days", "1:10", "expected 'last' or 'next' after 'within'"),
                invalid("a within last days", "1:15", "expected a duration like '30 days' after 'within last'"),
                invalid("a within last 3", "1:16", "expected a time unit"),
                invalid("a within last 3 years", "1:17", "expected a time unit (minutes, hours, days, weeks or months)"),
                invalid("a within last 1.5 days", "1:15", "expected a whole number after 'within last'"),
                invalid("a within last -3 days", "1:15", "expected a whole number"),
                invalid("a more 3 days ago", "1:8", "expected 'than' after 'more'"),
                invalid("a more than 3 days", "1:19", "expected 'ago' after 'more than 3 days'"),
                invalid("performed", "1:10", "expected a name in double quotes after 'performed'"),
                invalid("performed purchase", "1:11", "expected a name in double quotes after 'performed'"),
                invalid("performed \"purchase\" at least three times", "1:31",
                        "expected a number after 'at least'"),
                invalid("performed \"purchase\" at 3 times", "1:25", "expected 'least' or 'most' after 'at'"),
                invalid("performed \"purchase\" exactly 3", "1:31", "expected 'times' after '3'"),
                invalid("performed \"purchase\" exactly 99999999999999999999 times", "1:30", "is too large"),
                invalid("performed \"purchase\" within next 3 days", "1:29", "expected 'last' after 'within'"),
                invalid("performed \"purchase\" on 2026-01-01", "1:22", "unexpected 'on'"),
                invalid("performed \"purchase\" where", "1:27", "expected a field name after 'where'"),
                invalid("performed \"purchase\" where performed \"x\"", "1:28", "expected a field name after 'where'"),
                invalid("performed \"purchase\" where (a = 1 or b = 2)", "1:35", "expected 'and' or ')'"),
                invalid("performed \"purchase\" with count(amount) > 1", "1:27", "expected sum, avg, min or max"),
                invalid("performed \"purchase\" with sum amount > 1", "1:31", "expected '(' after 'sum'"),
                invalid("performed \"purchase\" with sum(amount > 1", "1:38", "expected ')' after the field"),
                invalid("performed \"purchase\" with sum(amount) 5", "1:39", "expected a comparison"),
                invalid("performed \"purchase\" with sum(amount) > \"5\"", "1:41", "expected a number after '>'"),
                invalid("performed \"purchase\" ever within last 3 days", "1:27", "unexpected 'within'"),
                invalid("last \"login\" within last 7 days", "1:6", "expected 'performed' after 'last'"),
                invalid("last performed \"login\"", "1:23", "expected a date condition (before, after, on, between, within or more than) for 'last performed'"),
                invalid("first performed \"login\" at least 2 times", "1:25", "expected a date condition"),
                invalid("in \"x\"", "1:4", "expected 'list' or 'segment' after 'in'"),
                invalid("in list", "1:8", "expected a name in double quotes after 'in list'"),
                invalid("in segment Churned", "1:12", "expected a name in double quotes after 'in segment'"),
                invalid("subscribed channel \"Email\"", "1:12", "expected 'to' after 'subscribed'"),
                invalid("unsubscribed to channel \"Email\"", "1:14", "expected 'from' after 'unsubscribed'"),
                invalid("subscribed to list \"x\"", "1:15", "expected 'channel' or 'message type' after 'subscribed to'"),
                invalid("subscribed to message \"x\"", "1:23", "expected 'type' after 'message'"),
                invalid("first = \"Ann\"", "1:7", "expected 'performed' after 'first'"),
                invalid("a = 1 # comment", "1:7", "unexpected character '#'"),
                invalid("a = 'x'", "1:5", "unexpected character '''"),
                invalid("a = 1\n  and\n  ]", "3:3", "unexpected ']'"));
    }

    // --- table helpers -----------------------------------------------------------------------------------------

    private static Arguments valid(String text, Rule expected) {
        return Arguments.of(text, expected);
    }

    private static Arguments invalid(String text, String position, String message) {
        return Arguments.of(text, position, message);
    }

    private static FieldRule f(String dotted, FieldCondition condition) {
        return new FieldRule(FieldPath.parseDotted(dotted), condition);
    }

    private static FieldRule rule(FieldPath path, FieldCondition condition) {
        return new FieldRule(path, condition);
    }

    private static FieldPath path(String... steps) {
        return FieldPath.of(steps);
    }

    private static Value s(String text) {
        return new Value.Text(text);
    }

    private static Value n(String number) {
        return new Value.Number(new BigDecimal(number));
    }

    private static Value d(String date) {
        return new Value.Date(day(date));
    }

    private static Value dt(String dateTime) {
        return new Value.Date(moment(dateTime));
    }

    private static TimeLiteral day(String date) {
        return new TimeLiteral.Day(LocalDate.parse(date));
    }

    private static TimeLiteral moment(String dateTime) {
        return new TimeLiteral.Moment(OffsetDateTime.parse(dateTime));
    }

    private static Span span(long amount, Span.Unit unit) {
        return new Span(amount, unit);
    }

    private static FieldCondition eq(Value value) {
        return new FieldCondition.Compare(CompareOp.EQ, value);
    }

    private static FieldCondition cmp(CompareOp op, String number) {
        return new FieldCondition.Compare(op, n(number));
    }

    private static FieldCondition in(boolean negated, Value... values) {
        return new FieldCondition.In(negated, List.of(values));
    }

    private static Rule and(Rule... rules) {
        return new And(List.of(rules));
    }

    private static Rule or(Rule... rules) {
        return new Or(List.of(rules));
    }

    private static EventRule event(String name, List<FieldRule> where, Count count, Window window, Aggregate aggregate) {
        return new EventRule(name, where, count, window, aggregate);
    }

    private static Window during(DateCondition condition) {
        return new Window.During(condition);
    }

    private static Aggregate agg(Aggregate.Function function, String dotted, CompareOp op, String value) {
        return new Aggregate(function, FieldPath.parseDotted(dotted), op, new BigDecimal(value));
    }
}
